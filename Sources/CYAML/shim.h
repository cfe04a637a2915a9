#ifndef CONVENE_CYAML_SHIM_H
#define CONVENE_CYAML_SHIM_H
#include <yaml.h>
#endif
