struct pair { int lo, hi; };
int lib_scale(int v, int k);
struct pair lib_minmax(const int *xs, int n);
