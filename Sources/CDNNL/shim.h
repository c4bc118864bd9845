// oneDNN (Debian libdnnl-dev, 2.x) through its C API. It ships no pkg-config file; the header and
// library live in the default search paths.
#include <oneapi/dnnl/dnnl.h>
