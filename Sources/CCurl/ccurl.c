#include "ccurl.h"

CURLcode ccurl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode ccurl_set_list(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(handle, option, list);
}

struct ccurl_upload {
    ccurl_read_callback callback;
    void *context;
};

static size_t ccurl_read(char *buffer, size_t size, size_t count, void *user) {
    struct ccurl_upload *upload = user;
    return upload->callback(buffer, size * count, upload->context);
}

// One upload at a time per thread: the SMTP channel sends from one thread.
static _Thread_local struct ccurl_upload current_upload;

CURLcode ccurl_set_upload(CURL *handle, ccurl_read_callback callback, void *context) {
    current_upload.callback = callback;
    current_upload.context = context;
    CURLcode code = curl_easy_setopt(handle, CURLOPT_READFUNCTION, ccurl_read);
    if (code != CURLE_OK) return code;
    code = curl_easy_setopt(handle, CURLOPT_READDATA, &current_upload);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
}

long ccurl_response_code(CURL *handle) {
    long code = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

// The last response line the server sent on this thread, and the last that refused something.
static _Thread_local char last_reply[512];
static _Thread_local char last_refusal[512];

static int ccurl_debug(CURL *handle, curl_infotype type, char *data, size_t size, void *user) {
    (void)handle;
    (void)user;
    if (type != CURLINFO_HEADER_IN || size == 0) return 0;
    size_t n = size < sizeof(last_reply) - 1 ? size : sizeof(last_reply) - 1;
    while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == '\r')) n--;
    for (size_t i = 0; i < n; i++) last_reply[i] = data[i];
    last_reply[n] = 0;
    if (n > 0 && (data[0] == '4' || data[0] == '5')) {
        for (size_t i = 0; i <= n; i++) last_refusal[i] = last_reply[i];
    }
    return 0;
}

CURLcode ccurl_record_replies(CURL *handle) {
    last_reply[0] = 0;
    last_refusal[0] = 0;
    CURLcode code = curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, ccurl_debug);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_VERBOSE, 1L);
}

const char *ccurl_last_reply(void) { return last_reply; }

const char *ccurl_last_refusal(void) { return last_refusal; }

void ccurl_forget_replies(void) {
    last_reply[0] = 0;
    last_refusal[0] = 0;
}
