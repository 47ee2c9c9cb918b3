/* The work guest_many does, shared with test_many_machines so the host knows
 * what each machine must answer: fill a buffer from the seed, then hash it
 * 1-4 times (FNV-1a style), the number of rounds chosen by the seed. */
#ifndef MANY_RESULT_H
#define MANY_RESULT_H

#define MANY_BUF 4096

static inline unsigned long long many_result(unsigned long long seed, unsigned char *buf)
{
    unsigned long long h = 0xcbf29ce484222325ULL ^ seed;
    for (int i = 0; i < MANY_BUF; i++)
        buf[i] = (unsigned char)(seed * 31 + (unsigned long long)i * 7);
    int rounds = 1 + (int)(seed % 4);
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < MANY_BUF; i++)
            h = (h ^ buf[i]) * 0x100000001b3ULL;
    return h;
}

#endif
