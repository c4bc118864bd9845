// OpenBLAS through its CBLAS interface. The pthread variant's include folder comes from pkg-config.
#include <cblas.h>

// Not declared by every cblas.h, but exported by every OpenBLAS build.
char *openblas_get_corename(void);
char *openblas_get_config(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
