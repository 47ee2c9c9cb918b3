/* The program the gdb tests debug (built -O0 -g): main calls scale(7),
 * which returns 7 * factor + offset; that is the exit status (7*5+2 = 37
 * unless the debugger changes factor, offset or a register), also stored
 * in last_result (for watchpoints). With an argument it spins until the
 * debugger stops it. */
volatile int factor = 5;
volatile int offset = 2;
unsigned char marker[4] = {0xde, 0xad, 0xbe, 0xef};
volatile int last_result;

__attribute__((noinline)) int scale(int x)
{
    int y = x * factor;
    y += offset;
    return y;
}

volatile unsigned long spins;

int main(int argc, char **argv)
{
    (void)argv;
    while (argc > 1)
        spins++;
    int r = scale(7);
    last_result = r;
    return r + marker[0] - 0xde;
}
