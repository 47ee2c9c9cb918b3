/* Interrupt lines. A device holds an irq_line and raises or lowers it; what
 * is on the other end (a PLIC source, a CLINT/hart mip bit) decides what the
 * level means. Devices know nothing of the board that wires them. */
#ifndef SPLITVM_DEV_IRQ_H
#define SPLITVM_DEV_IRQ_H

/* Set input `line` of the receiver `opaque` to level (0 or 1). */
typedef void (*irq_set_fn)(void *opaque, unsigned line, int level);

typedef struct irq_line {
    irq_set_fn set; /* NULL: not wired (the level goes nowhere) */
    void *opaque;
    unsigned line;
} irq_line;

static inline void irq_set(const irq_line *l, int level)
{
    if (l->set)
        l->set(l->opaque, l->line, level != 0);
}

#endif
