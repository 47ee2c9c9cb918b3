/* virtio-mmio version 2: registers, feature negotiation, queue setup. */
#include "virtio_mmio.h"

#include <string.h>

#include "../state/state_io.h"

enum {
    REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008, REG_VENDOR_ID = 0x00c,
    REG_DEVICE_FEATURES = 0x010, REG_DEVICE_FEATURES_SEL = 0x014, REG_DRIVER_FEATURES = 0x020,
    REG_DRIVER_FEATURES_SEL = 0x024, REG_QUEUE_SEL = 0x030, REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038,
    REG_QUEUE_READY = 0x044, REG_QUEUE_NOTIFY = 0x050, REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064,
    REG_STATUS = 0x070, REG_QUEUE_DESC_LOW = 0x080, REG_QUEUE_DESC_HIGH = 0x084, REG_QUEUE_DRIVER_LOW = 0x090,
    REG_QUEUE_DRIVER_HIGH = 0x094, REG_QUEUE_DEVICE_LOW = 0x0a0, REG_QUEUE_DEVICE_HIGH = 0x0a4,
    REG_SHM_LEN_LOW = 0x0b0, REG_SHM_BASE_HIGH = 0x0bc, REG_CONFIG_GENERATION = 0x0fc,
};
#define MAGIC 0x74726976u  /* "virt" */
#define VENDOR 0x554d4551u /* "QEMU", as QEMU's transport reports */

static void update_irq(virtio_mmio *vm) { irq_set(&vm->irq, vm->interrupt_status != 0); }

static uint64_t offered(const virtio_mmio *vm) { return vm->be->features | VIRTIO_F_VERSION_1; }

/* The selected queue, or NULL when the backend has no such queue. */
static virtq *selected(virtio_mmio *vm)
{
    return vm->queue_sel < vm->be->num_queues ? &vm->queue[vm->queue_sel] : NULL;
}

void virtio_mmio_reset(virtio_mmio *vm)
{
    vm->status = vm->interrupt_status = 0;
    vm->device_features_sel = vm->driver_features_sel = vm->queue_sel = 0;
    vm->driver_features = 0;
    memset(vm->queue, 0, sizeof(vm->queue));
    if (vm->be && vm->be->reset)
        vm->be->reset(vm->be_opaque);
    update_irq(vm);
}

void virtio_mmio_init(virtio_mmio *vm, const virtio_backend *be, void *be_opaque, virtio_ram ram, irq_line irq)
{
    memset(vm, 0, sizeof(*vm));
    uint32_t max = be ? be->queue_num_max : 0;
    if (be && (be->num_queues == 0 || be->num_queues > VIRTIO_MMIO_MAX_QUEUES || max == 0 || max > 32768 ||
               (max & (max - 1))))
        be = NULL; /* a backend that cannot work: present an empty slot */
    vm->be = be;
    vm->be_opaque = be_opaque;
    vm->ram = ram;
    vm->irq = irq;
    virtio_mmio_reset(vm);
}

void virtio_mmio_needs_reset(virtio_mmio *vm)
{
    if (vm->status & VIRTIO_STATUS_NEEDS_RESET)
        return;
    vm->status |= VIRTIO_STATUS_NEEDS_RESET;
    if (vm->status & VIRTIO_STATUS_DRIVER_OK) { /* the spec's notification */
        vm->interrupt_status |= VIRTIO_INT_CONFIG;
        update_irq(vm);
    }
}

void virtio_mmio_config_changed(virtio_mmio *vm)
{
    vm->config_generation++;
    vm->interrupt_status |= VIRTIO_INT_CONFIG;
    update_irq(vm);
}

uint64_t virtio_mmio_features(const virtio_mmio *vm) { return vm->driver_features; }

int virtio_mmio_pop(virtio_mmio *vm, unsigned q, virtq_elem *e)
{
    if (!vm->be || q >= vm->be->num_queues || (vm->status & VIRTIO_STATUS_NEEDS_RESET))
        return 0;
    int r = virtq_pop(&vm->queue[q], &vm->ram, e);
    if (r < 0)
        virtio_mmio_needs_reset(vm);
    return r;
}

void virtio_mmio_push(virtio_mmio *vm, unsigned q, const virtq_elem *e, uint32_t written)
{
    if (!vm->be || q >= vm->be->num_queues || (vm->status & VIRTIO_STATUS_NEEDS_RESET))
        return;
    virtq *vq = &vm->queue[q];
    /* Never claim more was written than the request could hold. */
    if (written > e->in_len)
        written = (uint32_t)e->in_len;
    if (virtq_push(vq, &vm->ram, e->head, written)) {
        virtio_mmio_needs_reset(vm);
        return;
    }
    if (virtq_wants_interrupt(vq, &vm->ram)) {
        vm->interrupt_status |= VIRTIO_INT_USED;
        update_irq(vm);
    }
}

static uint32_t read_reg(virtio_mmio *vm, uint64_t off)
{
    virtq *q = selected(vm);
    switch (off) {
    case REG_DEVICE_ID:
        return vm->be->device_id;
    case REG_DEVICE_FEATURES:
        return vm->device_features_sel < 2 ? (uint32_t)(offered(vm) >> (32 * vm->device_features_sel)) : 0;
    case REG_QUEUE_NUM_MAX:
        return q ? vm->be->queue_num_max : 0;
    case REG_QUEUE_READY:
        return q ? q->ready : 0;
    case REG_INTERRUPT_STATUS:
        return vm->interrupt_status;
    case REG_STATUS:
        return vm->status;
    case REG_CONFIG_GENERATION:
        return vm->config_generation;
    }
    if (off >= REG_SHM_LEN_LOW && off <= REG_SHM_BASE_HIGH)
        return 0xffffffffu; /* no shared memory region: length -1 */
    return 0;
}

/* FEATURES_OK takes only if the driver accepted VERSION_1 and nothing that
 * was not offered. */
static void write_status(virtio_mmio *vm, uint32_t v)
{
    if (v == 0) {
        virtio_mmio_reset(vm);
        return;
    }
    if ((v & VIRTIO_STATUS_FEATURES_OK) && !(vm->status & VIRTIO_STATUS_FEATURES_OK) &&
        ((vm->driver_features & ~offered(vm)) || !(vm->driver_features & VIRTIO_F_VERSION_1)))
        v &= ~VIRTIO_STATUS_FEATURES_OK;
    uint32_t was = vm->status;
    vm->status = (v & 0xffu & ~VIRTIO_STATUS_NEEDS_RESET) | (was & VIRTIO_STATUS_NEEDS_RESET);
    /* Broken during setup: tell the driver once it goes live. */
    if ((vm->status & VIRTIO_STATUS_NEEDS_RESET) && (v & ~was & VIRTIO_STATUS_DRIVER_OK)) {
        vm->interrupt_status |= VIRTIO_INT_CONFIG;
        update_irq(vm);
    }
}

static void set_half(uint64_t *field, int high, uint32_t v)
{
    *field = high ? (*field & 0xffffffffu) | (uint64_t)v << 32 : (*field & ~(uint64_t)0xffffffffu) | v;
}

/* Queue registers: only while the queue is not ready (the spec forbids
 * changing a live queue; such writes are ignored). */
static void write_queue_reg(virtio_mmio *vm, uint64_t off, uint32_t v)
{
    virtq *q = selected(vm);
    if (!q)
        return;
    if (off == REG_QUEUE_READY) {
        if (!(v & 1)) {
            q->ready = 0;
        } else if (!q->ready) {
            if (virtq_check(q, vm->be->queue_num_max, &vm->ram)) {
                virtio_mmio_needs_reset(vm);
                return;
            }
            q->last_avail = q->used_idx = 0;
            q->ready = 1;
        }
        return;
    }
    if (q->ready)
        return;
    switch (off) {
    case REG_QUEUE_NUM:
        q->num = v;
        break;
    case REG_QUEUE_DESC_LOW:
    case REG_QUEUE_DESC_HIGH:
        set_half(&q->desc, off == REG_QUEUE_DESC_HIGH, v);
        break;
    case REG_QUEUE_DRIVER_LOW:
    case REG_QUEUE_DRIVER_HIGH:
        set_half(&q->avail, off == REG_QUEUE_DRIVER_HIGH, v);
        break;
    case REG_QUEUE_DEVICE_LOW:
    case REG_QUEUE_DEVICE_HIGH:
        set_half(&q->used, off == REG_QUEUE_DEVICE_HIGH, v);
        break;
    }
}

static void write_reg(virtio_mmio *vm, uint64_t off, uint32_t v)
{
    switch (off) {
    case REG_DEVICE_FEATURES_SEL:
        vm->device_features_sel = v;
        break;
    case REG_DRIVER_FEATURES:
        if (vm->driver_features_sel < 2 && !(vm->status & VIRTIO_STATUS_FEATURES_OK))
            set_half(&vm->driver_features, vm->driver_features_sel == 1, v);
        break;
    case REG_DRIVER_FEATURES_SEL:
        vm->driver_features_sel = v;
        break;
    case REG_QUEUE_SEL:
        vm->queue_sel = v;
        break;
    case REG_QUEUE_NOTIFY:
        if (v < vm->be->num_queues && vm->queue[v].ready && (vm->status & VIRTIO_STATUS_DRIVER_OK) &&
            !(vm->status & VIRTIO_STATUS_NEEDS_RESET) && vm->be->notify)
            vm->be->notify(vm->be_opaque, vm, v);
        break;
    case REG_INTERRUPT_ACK:
        vm->interrupt_status &= ~v;
        update_irq(vm);
        break;
    case REG_STATUS:
        write_status(vm, v);
        break;
    default:
        write_queue_reg(vm, off, v);
        break;
    }
}

/* 0 if the access is well-formed: aligned, 32-bit below the config space,
 * 1/2/4/8 bytes inside it. */
static int access_ok(uint64_t off, int size)
{
    if ((size != 1 && size != 2 && size != 4 && size != 8) || (off & (uint64_t)(size - 1)))
        return -1;
    return off < VIRTIO_MMIO_CONFIG && size != 4 ? -1 : 0;
}

/* Config space bytes [off, off+size) relative to 0x100, if the backend has them. */
static int config_range(const virtio_mmio *vm, uint64_t off, int size)
{
    return vm->be && off >= VIRTIO_MMIO_CONFIG && off - VIRTIO_MMIO_CONFIG + (uint64_t)size <= vm->be->config_size;
}

int virtio_mmio_read(void *dev, uint64_t off, int size, uint64_t *val)
{
    virtio_mmio *vm = dev;
    if (access_ok(off, size))
        return -1;
    uint64_t v = 0;
    if (off == REG_MAGIC)
        v = MAGIC;
    else if (off == REG_VERSION)
        v = 2;
    else if (off == REG_VENDOR_ID)
        v = VENDOR;
    else if (!vm->be) /* an empty slot: DeviceID and the rest read 0 */
        v = 0;
    else if (off < VIRTIO_MMIO_CONFIG)
        v = read_reg(vm, off);
    else if (config_range(vm, off, size) && vm->be->config_read)
        v = vm->be->config_read(vm->be_opaque, (uint32_t)(off - VIRTIO_MMIO_CONFIG), size);
    *val = v;
    return 0;
}

int virtio_mmio_write(void *dev, uint64_t off, int size, uint64_t val)
{
    virtio_mmio *vm = dev;
    if (access_ok(off, size))
        return -1;
    if (!vm->be)
        return 0;
    if (off < VIRTIO_MMIO_CONFIG)
        write_reg(vm, off, (uint32_t)val);
    else if (config_range(vm, off, size) && vm->be->config_write)
        vm->be->config_write(vm->be_opaque, (uint32_t)(off - VIRTIO_MMIO_CONFIG), size, val);
    return 0;
}

void virtio_mmio_save(const virtio_mmio *vm, state_w *w)
{
    state_put_u32(w, vm->be ? vm->be->device_id : 0);
    state_put_u32(w, vm->status);
    state_put_u32(w, vm->interrupt_status);
    state_put_u32(w, vm->config_generation);
    state_put_u32(w, vm->device_features_sel);
    state_put_u32(w, vm->driver_features_sel);
    state_put_u32(w, vm->queue_sel);
    state_put_u64(w, vm->driver_features);
    for (unsigned i = 0; i < VIRTIO_MMIO_MAX_QUEUES; i++) {
        const virtq *q = &vm->queue[i];
        state_put_u32(w, q->num);
        state_put_u32(w, q->ready);
        state_put_u64(w, q->desc);
        state_put_u64(w, q->avail);
        state_put_u64(w, q->used);
        state_put_u16(w, q->last_avail);
        state_put_u16(w, q->used_idx);
    }
}

int virtio_mmio_load(virtio_mmio *vm, state_r *r)
{
    state_require(r, state_get_u32(r) == (vm->be ? vm->be->device_id : 0));
    vm->status = state_get_u32(r);
    vm->interrupt_status = state_get_u32(r);
    vm->config_generation = state_get_u32(r);
    vm->device_features_sel = state_get_u32(r);
    vm->driver_features_sel = state_get_u32(r);
    vm->queue_sel = state_get_u32(r);
    vm->driver_features = state_get_u64(r);
    state_require(r, !(vm->status & ~(0xffu)) && !(vm->interrupt_status & ~(uint32_t)(VIRTIO_INT_USED | VIRTIO_INT_CONFIG)));
    state_require(r, vm->be || (vm->status == 0 && vm->interrupt_status == 0));
    for (unsigned i = 0; i < VIRTIO_MMIO_MAX_QUEUES && !r->bad; i++) {
        virtq *q = &vm->queue[i];
        q->num = state_get_u32(r);
        q->ready = state_get_u32(r);
        q->desc = state_get_u64(r);
        q->avail = state_get_u64(r);
        q->used = state_get_u64(r);
        q->last_avail = state_get_u16(r);
        q->used_idx = state_get_u16(r);
        /* A ready queue passed the checks the driver's QUEUE_READY write makes. */
        state_require(r, q->ready <= 1);
        if (q->ready)
            state_require(r, vm->be && i < vm->be->num_queues && virtq_check(q, vm->be->queue_num_max, &vm->ram) == 0);
    }
    return state_r_ok(r) ? 0 : -1;
}
