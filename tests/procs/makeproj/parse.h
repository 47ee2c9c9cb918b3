int parse_number(const char *s);
