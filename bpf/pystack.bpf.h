/* SPDX-License-Identifier: MIT */
/*
 * The CPython stack walker shared by every BPF program that captures a Python
 * stack: find the current thread's PyThreadState, follow its frame chain leaf
 * to root, and send each code object's names and line table once.
 * Every layout detail comes from struct ps_py_offsets (userspace fills it per
 * process); there is no version test here.
 */
#ifndef PYSTROBE_PYSTACK_BPF_H
#define PYSTROBE_PYSTACK_BPF_H

#include "ps_pystack.h"
#include "ps_async.h"
#include "maps.bpf.h"

#define DM_SLOTS 256 /* per-CPU direct-mapped cache of code objects seen */

/*
 * State of one thread-state search, kept in scratch map memory: a counter on
 * the stack would make each bpf_loop iteration a new verifier state.
 */
struct tstate_walk {
	__u64 fsbase;
	__u64 interp; /* current interpreter */
	__u64 tstate; /* next thread state to test; 0: move to next interpreter */
	__u64 found;
	__u32 nr_interps;
	__u16 failed;
	__u16 no_runtime; /* the interpreter list was empty: the runtime is not up yet */
};

/* Per-CPU working memory of one walk (too big for the 512-byte stack). */
struct pystack_scratch {
	struct ps_proc proc; /* copy of the target's entry in procs */
	__u64 win_base; /* target address of win[0] */
	__u32 win_len; /* valid bytes in win */
	__u32 pid;
	__u32 walk_seq; /* bumped per stack: tags are trusted within one walk */
	__u32 worth; /* samples this walk stands for in the PS_STAT_* counts (sampler: its tick's) */
	struct tstate_walk twalk; /* thread-state search in progress */
	/* direct-mapped cache of code objects: (code, pid << 32 | gen) -> tag */
	__u64 dm_code[DM_SLOTS];
	__u64 dm_owner[DM_SLOTS];
	__u32 dm_seq[DM_SLOTS]; /* walk that last read the code object */
	__u16 dm_tag[DM_SLOTS];
	__u8 dm_sent[DM_SLOTS]; /* symbol of (code, owner, tag) is known sent */
	__u8 tbuf[PS_TSTATE_READ_MAX + 8];
	__u8 cbuf[PS_CODE_READ_MAX + 8]; /* code object prefix */
	__u8 win[PS_WINDOW_MAX + PS_FRAME_READ_MAX + 8];
	struct ps_sample sample;
	/*
	 * Trailers go right after the last frame: at most PS_TRAILER_MAX bytes
	 * from an offset of up to PS_TRAILER_MAX past the frames (the verifier
	 * bounds the offset and the length separately).
	 */
	__u8 trailer_room[2 * PS_TRAILER_MAX];
	/* --async (cfg_async): the rootmost coroutine frame of the walk so far */
	__u64 async_cur, async_root; /* frame addresses: current run, last finished run */
	__u32 async_cur_idx, async_root_idx; /* their frame indexes */
};

_Static_assert(__builtin_offsetof(struct pystack_scratch, trailer_room) ==
		       __builtin_offsetof(struct pystack_scratch, sample) +
			       sizeof(struct ps_sample),
	       "trailers follow the frames, contiguous");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* userspace sets it to the number of CPUs */
	__type(key, __u32);
	__type(value, struct pystack_scratch);
} pystack_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* userspace sets it to the number of CPUs */
	__type(key, __u32);
	__type(value, struct ps_symbol);
} symbol_scratch SEC(".maps");

const volatile __u32 cfg_max_frames = PS_MAX_FRAMES; /* frames kept per stack */
const volatile __u32 cfg_window_bytes = PS_WINDOW_MAX; /* 0: one read per frame */
const volatile __u32 cfg_first_window_bytes = 1024; /* most stacks are shallow: read less first */
const volatile __u32 cfg_async = 0; /* --async: track the rootmost coroutine frame */

/* Load a little-endian field from a scratch buffer (offsets masked by the caller). */
#define LOAD(type, buf, off) (*(type *)((__u8 *)(buf) + (off)))

static __always_inline struct pystack_scratch *pystack_scratch_get(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&pystack_scratch, &cpu);
}

/* Read one pointer-sized value from the target; 0 on failure. */
static __always_inline __u64 read_ptr(__u64 addr)
{
	__u64 v = 0;

	if (bpf_probe_read_user(&v, sizeof(v), (void *)addr))
		return 0;
	return v;
}

/* Read the thread state at addr into s->tbuf; 0 on success. */
static __always_inline int read_tstate(struct pystack_scratch *s, __u64 addr)
{
	__u32 n = s->proc.off.tstate_size;

	if (n == 0 || n > PS_TSTATE_READ_MAX)
		return -1;
	return bpf_probe_read_user(s->tbuf, n, (void *)addr);
}

/* Is the thread state in s->tbuf the one of the thread whose fs_base is fsbase? */
static __always_inline bool tbuf_is_thread(struct pystack_scratch *s, __u64 fsbase)
{
	__u32 o = s->proc.off.tstate_thread_id & (PS_TSTATE_READ_MAX - 1);

	return LOAD(__u64, s->tbuf, o) == fsbase;
}

/* One step of the search: test one thread state, or move to the next interpreter. */
static long tstate_walk_step(__u32 i, void *arg)
{
	struct pystack_scratch *s = pystack_scratch_get();
	struct tstate_walk *w;
	const struct ps_py_offsets *o;

	if (!s)
		return 1;
	w = &s->twalk;
	o = &s->proc.off;
	if (!w->tstate) {
		if (w->nr_interps++)
			w->interp = read_ptr(w->interp + o->interp_next);
		if (!w->interp || w->nr_interps > PS_MAX_INTERPS)
			return 1;
		w->tstate = read_ptr(w->interp + o->interp_threads_head);
		return 0;
	}
	if (read_tstate(s, w->tstate)) {
		w->failed = 1;
		return 1;
	}
	if (tbuf_is_thread(s, w->fsbase)) {
		w->found = w->tstate;
		return 1;
	}
	w->tstate = LOAD(__u64, s->tbuf, o->tstate_next & (PS_TSTATE_READ_MAX - 1));
	return 0;
}

/* Walk every interpreter's thread list for the thread state of fsbase. */
static __always_inline __u64 tstate_search(struct pystack_scratch *s, __u64 fsbase)
{
	struct tstate_walk *w = &s->twalk;

	stat_inc(PS_STAT_TSTATE_WALK);
	w->fsbase = fsbase;
	w->tstate = 0;
	w->found = 0;
	w->nr_interps = 0;
	w->failed = 0;
	w->interp = read_ptr(s->proc.interp_head_addr);
	w->no_runtime = !w->interp;
	if (!w->interp) {
		stat_inc(PS_STAT_NO_RUNTIME);
		return 0;
	}
	bpf_loop(PS_MAX_THREAD_WALK + PS_MAX_INTERPS, tstate_walk_step, NULL, 0);
	if (w->failed)
		stat_inc(PS_STAT_READ_TSTATE);
	else if (!w->found && (w->tstate || w->interp))
		stat_inc(PS_STAT_WALK_LIMIT);
	return w->found;
}

/*
 * Must a cached thread state be looked up again? A thread that entered a
 * subinterpreter still has a thread state in the main one with the same
 * thread_id, so with more than one interpreter the cache is re-walked every
 * PS_TSTATE_RECHECK_NS (the walk meets the newest interpreter first).
 */
static __always_inline bool tstate_recheck(struct pystack_scratch *s, struct ps_tstate_slot *slot,
					   __u64 now)
{
	__u64 head;

	if (now - slot->miss_ts_ns < PS_TSTATE_RECHECK_NS)
		return false;
	slot->miss_ts_ns = now; /* one list check per period, not per sample */
	head = read_ptr(s->proc.interp_head_addr);
	return head && read_ptr(head + s->proc.off.interp_next);
}

/* How long a thread whose last nr_misses walks found no tstate waits for the next. */
static __always_inline __u64 miss_retry_ns(__u32 nr_misses)
{
	__u32 shift = nr_misses > 0 ? nr_misses - 1 : 0;

	if (shift > PS_NO_TSTATE_RETRY_SHIFT_MAX)
		shift = PS_NO_TSTATE_RETRY_SHIFT_MAX;
	return PS_NO_TSTATE_RETRY_NS << shift;
}

/*
 * The GIL's state: its holder (<= 3.11: the "current holder" variable, NULL
 * when released; 3.12+: last_holder of interpreter interp's GIL, kept after a
 * release) and whether it is locked. -1 when it cannot be read, or a
 * free-threaded build has none.
 */
static __always_inline int gil_read(struct pystack_scratch *s, __u64 interp, __u64 *holder,
				    __u32 *locked)
{
	const struct ps_py_offsets *o = &s->proc.off;
	__u8 g[PS_GIL_READ];
	__u64 gil;

	*locked = 1;
	if (s->proc.flags & PS_PROC_NO_GIL)
		return -1;
	if (s->proc.gil_holder_addr)
		return bpf_probe_read_user(holder, sizeof(*holder),
					   (void *)s->proc.gil_holder_addr) ?
			       -1 :
			       0;
	if (o->interp_gil == PS_OFF_NONE)
		return -1;
	gil = interp ? read_ptr(interp + o->interp_gil) : 0;
	if (!gil || bpf_probe_read_user(g, sizeof(g), (void *)gil))
		return -1;
	*holder = LOAD(__u64, g, o->gil_last_holder & (PS_GIL_READ - 8));
	*locked = LOAD(__u32, g, o->gil_locked & (PS_GIL_READ - 4));
	return 0;
}

/*
 * The thread state holding the GIL if it is the current thread's (left in
 * s->tbuf), else 0: 2 to 4 reads where a walk reads every thread state. A
 * thread running Python holds the GIL, so this finds the thread state of one
 * whose last walk missed (sampled as it started, before CPython bound its
 * thread state) without waiting for the miss's retry: a thread that has a
 * thread state is not reported without one.
 */
static __always_inline __u64 tstate_gil_holder(struct pystack_scratch *s, __u64 fsbase)
{
	/* 3.12+: the newest interpreter's GIL (the walk meets it first too) */
	__u64 interp = s->proc.gil_holder_addr ? 0 : read_ptr(s->proc.interp_head_addr);
	__u64 holder = 0;
	__u32 locked;

	if (gil_read(s, interp, &holder, &locked) || !locked || !holder || read_tstate(s, holder) ||
	    !tbuf_is_thread(s, fsbase))
		return 0;
	return holder;
}

/* Cache addr (0: a miss, the nr_misses-th in a row) as the thread state of tid. */
static __always_inline void tstate_remember(struct pystack_scratch *s, __u32 tid, __u64 addr,
					    __u32 nr_misses, __u64 now)
{
	struct ps_tstate_slot fresh = {};

	fresh.nr_misses = nr_misses;
	fresh.tstate_addr = addr;
	fresh.miss_ts_ns = now; /* a miss: when; found: when last checked */
	fresh.pid = s->pid;
	fresh.gen = s->proc.gen;
	bpf_map_update_elem(&tstates, &tid, &fresh, BPF_ANY);
}

/*
 * The current thread's PyThreadState, left in s->tbuf; 0 if it has none.
 * A cached address is trusted only if its thread_id still equals fs_base.
 * Else the GIL holder is tried before a walk (and before a cached miss).
 */
static __always_inline __u64 tstate_current(struct pystack_scratch *s, __u32 tid)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 fsbase = BPF_CORE_READ(task, thread.fsbase);
	__u64 now = bpf_ktime_get_ns(), addr;
	struct ps_tstate_slot *slot;
	__u32 misses = 0;

	slot = bpf_map_lookup_elem(&tstates, &tid);
	if (slot && slot->pid == s->pid && slot->gen == s->proc.gen) {
		if (slot->tstate_addr && !read_tstate(s, slot->tstate_addr) &&
		    tbuf_is_thread(s, fsbase) && !tstate_recheck(s, slot, now))
			return slot->tstate_addr;
		misses = slot->tstate_addr ? 0 : slot->nr_misses;
	}
	addr = tstate_gil_holder(s, fsbase);
	if (addr) {
		tstate_remember(s, tid, addr, 0, now);
		return addr;
	}
	if (misses && now - slot->miss_ts_ns < miss_retry_ns(misses))
		return 0;
	addr = tstate_search(s, fsbase);
	/* before the interpreter exists every thread would miss: do not remember that */
	if (!addr && s->twalk.no_runtime)
		return 0;
	tstate_remember(s, tid, addr, addr ? 0 : misses + 1, now);
	return addr;
}

/* The innermost frame of the thread state in s->tbuf (one hop through cframe if any). */
static __always_inline __u64 tstate_top_frame(struct pystack_scratch *s)
{
	const struct ps_py_offsets *o = &s->proc.off;
	__u64 p = LOAD(__u64, s->tbuf, o->tstate_frame & (PS_TSTATE_READ_MAX - 1));

	if (p && o->cframe_frame != PS_OFF_NONE)
		p = read_ptr(p + o->cframe_frame);
	return p;
}

/* Read [start, start + len) into s->win; 0 on success. */
static __always_inline int window_fill(struct pystack_scratch *s, __u64 start, __u64 len)
{
	if (len == 0 || len > PS_WINDOW_MAX || bpf_probe_read_user(s->win, len, (void *)start))
		return -1;
	s->win_base = start;
	s->win_len = len;
	return 0;
}

/*
 * Make [addr, addr + size) available in s->win and return its offset there,
 * or -1. Older frames usually sit just below newer ones (3.11+ data stack,
 * pymalloc pools), so one read of cfg_window_bytes ending at the frame serves
 * many frames (the first read of a walk is smaller: most stacks are
 * shallow). If that window reaches into an unmapped page, read only from the
 * frame's own page; failing that, the frame alone.
 */
static __always_inline long window_get(struct pystack_scratch *s, __u64 addr, __u32 size)
{
	__u64 off = addr - s->win_base, end = addr + size, start;
	__u32 w = s->win_len ? cfg_window_bytes : cfg_first_window_bytes;

	if (addr >= s->win_base && off + size <= s->win_len)
		return off;
	if (size == 0 || size > PS_FRAME_READ_MAX)
		return -1;
	if (w > PS_WINDOW_MAX)
		w = PS_WINDOW_MAX;
	if (w > size && end > w) {
		start = end - w;
		if (!window_fill(s, start, w))
			return addr - start;
		start = addr & ~4095ULL;
		if (start < end - w)
			start = end - w;
		if (end - start > size && !window_fill(s, start, end - start))
			return addr - start;
	}
	if (window_fill(s, addr, size)) {
		s->win_len = 0;
		return -1;
	}
	return 0;
}

/*
 * Copy a str object (PEP 393 or 2.7 str) raw into out; userspace decodes it.
 * Global, as are the other symbol readers: the verifier checks a global
 * function once, a static one again at every call in every caller's state
 * (read_pystr was ~60 % of the sampler's verification, ~20 ms of start-up).
 * The verifier takes a global function's pointer arguments as maybe NULL:
 * each checks them.
 */
__noinline int read_pystr(struct ps_pystr *out, const struct ps_py_offsets *o, __u64 addr)
{
	__u64 len, nbytes, data_off;
	__u32 state, kind = 1;

	if (!out || !o)
		return -1;
	data_off = o->str_ascii_data;
	out->nbytes = 0;
	out->kind = 1;
	out->flags = 0;
	if (!addr || bpf_probe_read_user(out->data, PS_OBJ_HDR_READ, (void *)addr)) {
		out->flags = PS_STR_UNREADABLE;
		return -1;
	}
	len = LOAD(__u64, out->data, o->str_len & (PS_OBJ_HDR_READ - 8));
	if (o->str_kind == PS_STR_PEP393) {
		state = LOAD(__u32, out->data, o->str_state & (PS_OBJ_HDR_READ - 4));
		if (!(state & (1U << 5))) {
			out->flags = PS_STR_NOT_COMPACT;
			return -1;
		}
		if (!(state & (1U << 6))) {
			kind = (state >> 2) & 7;
			data_off = o->str_compact_data;
		}
	}
	if (kind != 1 && kind != 2 && kind != 4)
		kind = 1;
	out->nr_chars = len;
	out->kind = kind;
	nbytes = len * kind;
	if (nbytes > PS_STR_MAX) {
		nbytes = PS_STR_MAX;
		out->flags = PS_STR_CUT;
	}
	if (nbytes && bpf_probe_read_user(out->data, nbytes, (void *)(addr + data_off))) {
		out->flags = PS_STR_UNREADABLE;
		return -1;
	}
	out->nbytes = nbytes;
	return 0;
}

/* Copy the code object's line table (a bytes / 2.7 str object) into sym. */
__noinline int read_linetable(struct ps_symbol *sym, const struct ps_py_offsets *o, __u64 addr)
{
	__u8 hdr[PS_OBJ_HDR_READ];
	__u64 len;

	if (!sym || !o)
		return -1;
	sym->linetable_len = 0;
	sym->linetable_nbytes = 0;
	if (!addr || bpf_probe_read_user(hdr, sizeof(hdr), (void *)addr))
		return -1;
	len = LOAD(__u64, hdr, o->bytes_len & (PS_OBJ_HDR_READ - 8));
	sym->linetable_len = len;
	if (len > PS_LINETABLE_MAX) {
		len = PS_LINETABLE_MAX;
		sym->flags |= PS_SYM_LT_CUT;
	}
	if (len && bpf_probe_read_user(sym->linetable, len, (void *)(addr + o->bytes_data)))
		return -1;
	sym->linetable_nbytes = len;
	return 0;
}

/* Send the names and line table of the code object whose prefix is in s->cbuf. */
__noinline int send_symbol(struct pystack_scratch *s, __u64 code, __u16 tag)
{
	__u32 cpu = bpf_get_smp_processor_id(), n;
	struct ps_symbol *sym = bpf_map_lookup_elem(&symbol_scratch, &cpu);
	const struct ps_py_offsets *o;
	const __u8 *c;

	if (!sym || !s)
		return -1;
	o = &s->proc.off;
	c = s->cbuf;
	sym->type = PS_REC_SYMBOL;
	sym->pid = s->pid;
	sym->gen = s->proc.gen;
	sym->code_addr = code;
	sym->code_tag = tag;
	sym->flags = 0;
	if (s->proc.code_type_addr &&
	    LOAD(__u64, c, o->obj_type & (PS_CODE_READ_MAX - 8)) != s->proc.code_type_addr)
		sym->flags |= PS_SYM_NOT_CODE;
	sym->firstlineno = LOAD(__s32, c, o->code_firstlineno & (PS_CODE_READ_MAX - 4));
	sym->firsttraceable =
		o->code_firsttraceable == PS_OFF_NONE ?
			0 :
			LOAD(__s32, c, o->code_firsttraceable & (PS_CODE_READ_MAX - 4));
	__u64 fname = LOAD(__u64, c, o->code_filename & (PS_CODE_READ_MAX - 8));
	__u64 name = LOAD(__u64, c, o->code_name & (PS_CODE_READ_MAX - 8));
	__u64 qual = o->code_qualname == PS_OFF_NONE ?
			     0 :
			     LOAD(__u64, c, o->code_qualname & (PS_CODE_READ_MAX - 8));
	__u64 lt = LOAD(__u64, c, o->code_linetable & (PS_CODE_READ_MAX - 8));

	if (read_pystr(&sym->filename, o, fname) || read_pystr(&sym->name, o, name)) {
		stat_inc(PS_STAT_SYM_READ);
		return -1;
	}
	read_pystr(&sym->qualname, o, qual);
	if (read_linetable(sym, o, lt))
		sym->flags |= PS_SYM_LT_UNREADABLE;
	n = sym->linetable_nbytes;
	if (n > PS_LINETABLE_MAX)
		return -1;
	if (bpf_ringbuf_output(&events, sym, PS_SYMBOL_HDR_SIZE + n, 0)) {
		stat_inc(PS_STAT_SYM_RINGBUF_FULL);
		return -1;
	}
	return 0;
}

/* Fingerprint (ps_code_fingerprint) of the code object whose prefix is in s->cbuf. */
static __always_inline __u16 code_fingerprint(struct pystack_scratch *s)
{
	const struct ps_py_offsets *o = &s->proc.off;

	return ps_code_fingerprint(
		LOAD(__u64, s->cbuf, o->code_linetable & (PS_CODE_READ_MAX - 8)),
		LOAD(__u64, s->cbuf, o->code_name & (PS_CODE_READ_MAX - 8)),
		LOAD(__u32, s->cbuf, o->code_firstlineno & (PS_CODE_READ_MAX - 4)));
}

/*
 * The tag of code for this frame, sending its symbol the first time
 * (pid, gen, code, tag) is seen. The code object is read once per walk: it
 * cannot be freed and replaced while its frame is on the stack being read.
 * Returns 0 when the code object is unreadable.
 */
__noinline __u16 code_tag_of(struct pystack_scratch *s, __u64 code)
{
	__u32 slot = (code >> 4) & (DM_SLOTS - 1), n;
	struct ps_code_key key = { .code_addr = code };
	__u64 owner;
	__u8 one = 1;
	__u16 tag;
	bool same;

	if (!s)
		return 0;
	n = s->proc.off.code_size;
	owner = (__u64)s->pid << 32 | s->proc.gen;
	key.pid = s->pid;
	key.gen = s->proc.gen;
	same = s->dm_code[slot] == code && s->dm_owner[slot] == owner;
	if (same && s->dm_seq[slot] == s->walk_seq)
		return s->dm_tag[slot];
	if (n == 0 || n > PS_CODE_READ_MAX || bpf_probe_read_user(s->cbuf, n, (void *)code)) {
		stat_inc(PS_STAT_SYM_READ);
		return 0;
	}
	tag = code_fingerprint(s);
	if (!(same && s->dm_tag[slot] == tag && s->dm_sent[slot])) {
		key.code_tag = tag;
		s->dm_sent[slot] = 1;
		if (!bpf_map_lookup_elem(&codes_sent, &key)) {
			if (send_symbol(s, code, tag))
				s->dm_sent[slot] = 0;
			else
				bpf_map_update_elem(&codes_sent, &key, &one, BPF_ANY);
		}
	}
	s->dm_code[slot] = code;
	s->dm_owner[slot] = owner;
	s->dm_tag[slot] = tag;
	s->dm_seq[slot] = s->walk_seq;
	return tag;
}

/*
 * --async: runs of generator-owned frames, leaf to root. The last run to end
 * (rootmost) ends at the task's coroutine, called by the event loop.
 */
static __always_inline void async_track(struct pystack_scratch *s, __u64 addr, __u32 nr,
					bool is_gen)
{
	if (is_gen) {
		s->async_cur = addr;
		s->async_cur_idx = nr;
	} else if (s->async_cur) {
		s->async_root = s->async_cur;
		s->async_root_idx = s->async_cur_idx;
		s->async_cur = 0;
	}
}

struct frame_walk {
	struct pystack_scratch *s;
	__u64 frame; /* next frame to read; 0: done */
};

/* One step of the frame walk: record one frame (or skip a shim) and move to its caller. */
static long frame_walk_step(__u32 i, void *arg)
{
	struct frame_walk *w = arg;
	struct pystack_scratch *s = w->s;
	const struct ps_py_offsets *o = &s->proc.off;
	struct ps_sample *smp = &s->sample;
	__u64 code, instr;
	__u32 nr = smp->nr_frames;
	__u64 addr = w->frame;
	__u8 owner;
	long off;
	__u8 *f;

	if (!w->frame)
		return 1;
	if (nr >= cfg_max_frames || nr >= PS_MAX_FRAMES) {
		smp->flags |= PS_SAMPLE_TRUNCATED;
		stat_add(PS_STAT_TRUNCATED, s->worth);
		return 1;
	}
	off = window_get(s, w->frame, o->frame_size);
	if (off < 0 || off >= PS_WINDOW_MAX) {
		smp->flags |= PS_SAMPLE_UNREADABLE;
		stat_add(PS_STAT_READ_FRAME, s->worth);
		return 1;
	}
	f = s->win + off;
	w->frame = LOAD(__u64, f, o->frame_back & (PS_FRAME_READ_MAX - 1));
	owner = o->frame_owner == PS_OFF_NONE ?
			0 :
			LOAD(__u8, f, o->frame_owner & (PS_FRAME_READ_MAX - 1));
	/* 3.12+: frames owned by the C stack (3.14+: or the interpreter) are
	 * eval-loop entry frames, not code; the frame before one is the first of
	 * its C-level eval call */
	if (owner >= o->owner_skip_min) {
		if (nr > 0)
			smp->frames[(nr - 1) & (PS_MAX_FRAMES - 1)].owner |= PS_FRAME_ENTRY;
		return 0;
	}
	if (o->owner_skip_min == 0xff &&
	    (o->frame_is_entry == 0 || o->frame_is_entry == PS_OFF_NONE ||
	     LOAD(__u8, f, o->frame_is_entry & (PS_FRAME_READ_MAX - 1))))
		owner |= PS_FRAME_ENTRY; /* <= 3.10: every frame; 3.11: is_entry */
	code = LOAD(__u64, f, o->frame_code & (PS_FRAME_READ_MAX - 1)) & ~(__u64)o->code_tag_mask;
	if (!code)
		return 0;
	instr = o->instr_kind == PS_INSTR_PTR ?
			LOAD(__u64, f, o->frame_instr & (PS_FRAME_READ_MAX - 1)) - code :
			LOAD(__u32, f, o->frame_instr & (PS_FRAME_READ_MAX - 1));
	if (cfg_async)
		async_track(s, addr, nr, (owner & ~PS_FRAME_ENTRY) == PS_FRAME_OWNED_BY_GENERATOR);
	smp->frames[nr & (PS_MAX_FRAMES - 1)].code_addr = code;
	smp->frames[nr & (PS_MAX_FRAMES - 1)].instr = instr;
	smp->frames[nr & (PS_MAX_FRAMES - 1)].owner = owner;
	smp->frames[nr & (PS_MAX_FRAMES - 1)].code_tag = code_tag_of(s, code);
	smp->nr_frames = nr + 1;
	return 0;
}

/*
 * Does the thread whose state (at tstate, copied in s->tbuf) is on this CPU
 * hold the GIL? From the GIL's own state: the "current holder" variable
 * (<= 3.11, NULL when released) or the interpreter's GIL struct (3.12+:
 * locked && last_holder == tstate). PS_SAMPLE_GIL_KNOWN [| _HELD], or 0.
 */
static __always_inline __u32 gil_flags(struct pystack_scratch *s, __u64 tstate)
{
	const struct ps_py_offsets *o = &s->proc.off;
	__u64 interp = 0, holder = 0;
	__u32 locked;

	if (!s->proc.gil_holder_addr)
		interp = LOAD(__u64, s->tbuf, o->tstate_interp & (PS_TSTATE_READ_MAX - 1));
	if (gil_read(s, interp, &holder, &locked))
		return 0;
	return PS_SAMPLE_GIL_KNOWN | (locked && holder == tstate ? PS_SAMPLE_GIL_HELD : 0);
}

/*
 * Fill s->sample with the Python stack of the current thread of process pid
 * (already copied into s->proc). Returns 0 when a thread state was found.
 */
static __always_inline int pystack_capture(struct pystack_scratch *s, __u32 tid)
{
	struct frame_walk w = { .s = s };
	__u64 tstate;

	s->sample.nr_frames = 0;
	s->sample.flags = 0;
	s->sample.trailer_len = 0;
	s->async_cur = s->async_root = 0;
	s->win_len = 0;
	s->walk_seq++;
	tstate = tstate_current(s, tid);
	if (!tstate) {
		s->sample.flags |= PS_SAMPLE_NO_TSTATE;
		stat_add(PS_STAT_NO_TSTATE, s->worth);
		return -1;
	}
	s->sample.flags |= gil_flags(s, tstate);
	w.frame = tstate_top_frame(s);
	/* shims can add up to one skipped frame per real one */
	bpf_loop(2 * PS_MAX_FRAMES, frame_walk_step, &w, 0);
	if (w.frame && !(s->sample.flags & (PS_SAMPLE_TRUNCATED | PS_SAMPLE_UNREADABLE))) {
		s->sample.flags |= PS_SAMPLE_TRUNCATED;
		stat_add(PS_STAT_TRUNCATED, s->worth);
	}
	return 0;
}

/*
 * Set up the scratch for a walk of process pid: NULL when pid is not
 * profiled. The process entry is copied so the walk sees one generation.
 */
static __always_inline struct pystack_scratch *pystack_start(__u32 pid)
{
	struct ps_proc *proc = bpf_map_lookup_elem(&procs, &pid);
	struct pystack_scratch *s;

	if (!proc)
		return NULL;
	s = pystack_scratch_get();
	if (!s)
		return NULL;
	s->proc = *proc;
	s->pid = pid;
	s->worth = 1;
	return s;
}

/*
 * Where the next trailer of s->sample goes (right after its frames and the
 * trailers already added), with room for max_len bytes; NULL (counted) when
 * PS_TRAILER_MAX would be passed. pystack_trailer_add makes it part of the
 * record once written.
 */
static __always_inline __u8 *pystack_trailer_at(struct pystack_scratch *s, __u32 max_len)
{
	__u32 nr = s->sample.nr_frames, used = s->sample.trailer_len;

	if (nr > PS_MAX_FRAMES || used > PS_TRAILER_MAX || max_len > PS_TRAILER_MAX - used) {
		stat_inc(PS_STAT_NO_TRAILER_ROOM);
		return NULL;
	}
	return (__u8 *)s->sample.frames + nr * sizeof(struct ps_frame) + used;
}

/* Add the len bytes written at pystack_trailer_at as a trailer of kind flag (PS_SAMPLE_HAS_*). */
static __always_inline void pystack_trailer_add(struct pystack_scratch *s, __u32 flag, __u32 len)
{
	s->sample.flags |= flag;
	s->sample.trailer_len += len;
}

/*
 * Send the stack in s->sample, with its trailers, as a record of type with
 * weight; lost_stat counts it when the ring buffer is full. 0 or -1.
 */
static __always_inline int pystack_send(struct pystack_scratch *s, __u32 type, __u32 tid,
					__u64 weight, __u32 lost_stat)
{
	__u64 nr = s->sample.nr_frames, trailers = s->sample.trailer_len, size;

	s->sample.type = type;
	s->sample.pid = s->pid;
	s->sample.tid = tid;
	s->sample.cpu = bpf_get_smp_processor_id();
	s->sample.ts_ns = bpf_ktime_get_ns();
	s->sample.gen = s->proc.gen;
	s->sample.weight = weight;
	bpf_get_current_comm(s->sample.comm, sizeof(s->sample.comm));
	if (nr > PS_MAX_FRAMES || trailers > PS_TRAILER_MAX)
		return -1;
	size = PS_SAMPLE_HDR_SIZE + nr * sizeof(struct ps_frame) + trailers;
	/* bound the register passed, whatever the compiler kept of the checks above */
	barrier_var(size);
	if (size > sizeof(struct ps_sample) + PS_TRAILER_MAX)
		return -1;
	if (bpf_ringbuf_output(&events, &s->sample, size, bulk_wakeup_flag())) {
		stat_add(lost_stat, s->worth);
		return -1;
	}
	return 0;
}

#endif /* PYSTROBE_PYSTACK_BPF_H */
