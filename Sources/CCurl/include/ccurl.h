#ifndef CCURL_H
#define CCURL_H

// Typed wrappers around libcurl's variadic calls, which Swift cannot call, for an SMTP client.

#include <curl/curl.h>
#include <stddef.h>

/// Reads the next bytes of a message for libcurl to upload: copies up to `size` bytes into
/// `buffer` and returns how many; 0 at the end.
typedef size_t (*ccurl_read_callback)(char *buffer, size_t size, void *context);

CURLcode ccurl_set_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_set_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_set_list(CURL *handle, CURLoption option, struct curl_slist *list);
/// Uploads through `callback`, called with `context`.
CURLcode ccurl_set_upload(CURL *handle, ccurl_read_callback callback, void *context);
/// The last SMTP response code, or 0.
long ccurl_response_code(CURL *handle);
/// Records the server's response lines, so that `ccurl_last_reply` can tell the last one.
CURLcode ccurl_record_replies(CURL *handle);
/// The server's last response line (`250 2.0.0 Ok: queued as 12345`) since
/// `ccurl_record_replies`, without its line break; empty if none.
const char *ccurl_last_reply(void);
/// The server's last response line that refused something (4xx or 5xx); empty if none.
const char *ccurl_last_refusal(void);
/// Forgets the responses recorded so far, before a new message.
void ccurl_forget_replies(void);

#endif
