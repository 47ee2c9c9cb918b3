#define VERSION 3
int util_twice(int x);
