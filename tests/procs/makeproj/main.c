#include "common.h"
#include "parse.h"
int main(int argc, char **argv)
{
    return argc > 1 ? util_twice(parse_number(argv[1])) : VERSION;
}
