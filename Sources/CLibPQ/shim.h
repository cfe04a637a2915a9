#ifndef CONVENE_CLIBPQ_SHIM_H
#define CONVENE_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
