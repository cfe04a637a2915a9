/* A shared library that is not a Convene plugin at all. */
int answer(void) { return 42; }
