/* A library that claims to be a Convene plugin built for another API version. */
int convene_plugin_api_version(void) { return 999; }
void *convene_plugin_entry(void) { return 0; }
