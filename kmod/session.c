// SPDX-License-Identifier: GPL-2.0
/*
 * The session table of a namespace: both flows of every session in one
 * rhashtable (keyed siphash, lockless RCU lookups, bucket locks on
 * update), sessions from a slab cache of their own, their lifetimes and
 * the worker that ends the expired ones.
 *
 * Documentation/design.rst ("Sessions") has the lifetime rules.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/dst.h>
#include <net/tcp.h>

#include "ngre.h"

/* Sessions whose first packet has not left after this are ended. */
#define NGRE_UNCONFIRMED_TIMEOUT (5 * HZ)
/*
 * The collector walks the table every NGRE_GC_PERIOD_MIN while it finds
 * expired sessions or the table is three quarters full or has refused a
 * session, else half as often after each walk, down to every
 * NGRE_GC_PERIOD_MAX; not at all while the table is empty.  A packet that
 * hits an expired session ends it, so a late walk only frees memory late.
 * It takes NGRE_GC_BATCH entries between breaks.
 */
#define NGRE_GC_PERIOD_MIN HZ
#define NGRE_GC_PERIOD_MAX (16UL * HZ)
#define NGRE_GC_BATCH 256
/* max-sessions by default: 1/64 of the memory, at the most. */
#define NGRE_DEFAULT_MAX_SESSIONS_MIN 1024U

static struct kmem_cache *ngre_session_cache __read_mostly;
static siphash_key_t ngre_skey_secret __read_mostly;

static u32 ngre_skey_hashfn(const void *data, u32 len, u32 seed)
{
	return siphash(data, sizeof(struct ngre_skey), &ngre_skey_secret) ^
	       seed;
}

static const struct rhashtable_params ngre_session_params = {
	.key_len		= sizeof(struct ngre_skey),
	.key_offset		= offsetof(struct ngre_sflow, key),
	.head_offset		= offsetof(struct ngre_sflow, node),
	.hashfn			= ngre_skey_hashfn,
	.automatic_shrinking	= true,
};

static const unsigned int ngre_default_timeout[NGRE_TO_N] = {
	[NGRE_TO_TCP_OPENING]		= 120,
	[NGRE_TO_TCP_ESTABLISHED]	= 7440,
	[NGRE_TO_TCP_CLOSING]		= 120,
	[NGRE_TO_UDP]			= 180,
	[NGRE_TO_ICMP]			= 30,
	[NGRE_TO_OTHER]			= 600,
};

int __init ngre_session_init(void)
{
	/* Both flows, their action lists and routes, in three cache lines
	 * (lock debugging makes the lock a cache line of its own: four
	 * then); the index of the next hop in a u8.
	 */
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_DEBUG_SPINLOCK) &&
		     !IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) &&
		     sizeof(struct ngre_session) > 192);
	BUILD_BUG_ON(NGRE_MAX_NEXTHOPS > U8_MAX);
	get_random_bytes(&ngre_skey_secret, sizeof(ngre_skey_secret));
	ngre_session_cache = KMEM_CACHE(ngre_session, SLAB_HWCACHE_ALIGN);
	return ngre_session_cache ? 0 : -ENOMEM;
}

/* After rcu_barrier(): every session has been freed. */
void ngre_session_exit(void)
{
	kmem_cache_destroy(ngre_session_cache);
}

static void ngre_session_gc(struct work_struct *work);

static unsigned int ngre_default_max_sessions(void)
{
	u64 bytes = (u64)totalram_pages() << PAGE_SHIFT;

	return clamp_t(u64, bytes / 64 / 256, NGRE_DEFAULT_MAX_SESSIONS_MIN,
		       NGRE_MAX_SESSIONS_LIMIT);
}

int ngre_session_net_init(struct ngre_net *nn)
{
	struct ngre_session_table *tab = &nn->sessions;
	int i, err;

	err = rhashtable_init(&tab->ht, &ngre_session_params);
	if (err)
		return err;
	tab->max = ngre_default_max_sessions();
	for (i = 0; i < NGRE_TO_N; i++)
		tab->timeout[i] = ngre_default_timeout[i] * HZ;
	mutex_init(&tab->walk_lock);
	INIT_DELAYED_WORK(&tab->gc, ngre_session_gc);
	tab->gc_period = NGRE_GC_PERIOD_MIN;
	/* The collector starts with the first session. */
	tab->active = true;
	return 0;
}

static bool ngre_session_any(const struct ngre_session *s, const void *arg)
{
	return true;
}

/*
 * The hooks are gone (and a grace period has passed): end every session,
 * and wait for them to be freed, so that the services' last references
 * are dropped before the services go (and no callback queues another
 * after the module's final rcu_barrier()).
 */
void ngre_session_net_exit(struct ngre_net *nn)
{
	struct ngre_session_table *tab = &nn->sessions;

	WRITE_ONCE(tab->active, false);
	cancel_delayed_work_sync(&tab->gc);
	ngre_sessions_end_if(nn, ngre_session_any, NULL,
			     NGRE_STAT(SESSION_ENDED));
	WARN_ON_ONCE(atomic_read(&tab->count));
	rcu_barrier();
	rhashtable_destroy(&tab->ht);
	mutex_destroy(&tab->walk_lock);
}

/* Under RCU. */
struct ngre_sflow *ngre_sflow_lookup(struct ngre_net *nn,
				     const struct ngre_skey *key)
{
	return rhashtable_lookup(&nn->sessions.ht, key, ngre_session_params);
}

/* The key of the replies to packets of @key. */
void ngre_skey_reverse(struct ngre_skey *rev, const struct ngre_skey *key)
{
	*rev = *key;
	rev->saddr = key->daddr;
	rev->daddr = key->saddr;
	if (key->proto == IPPROTO_ICMP) {
		/* The echo id stays; a request and a reply answer each
		 * other (a reply may start a session on a router that
		 * did not see the request as one).
		 */
		rev->dport = htons(key->dport == htons(ICMP_ECHO) ?
				   ICMP_ECHOREPLY : ICMP_ECHO);
	} else {
		rev->sport = key->dport;
		rev->dport = key->sport;
	}
}

/* The collector walks within NGRE_GC_PERIOD_MIN, from now on (again)
 * every NGRE_GC_PERIOD_MIN until a walk finds nothing to do.  Any
 * context.
 */
void ngre_session_gc_soon(struct ngre_session_table *tab)
{
	WRITE_ONCE(tab->gc_period, NGRE_GC_PERIOD_MIN);
	if (READ_ONCE(tab->active))
		mod_delayed_work(system_power_efficient_wq, &tab->gc,
				 NGRE_GC_PERIOD_MIN);
}

/**
 * ngre_session_alloc - a new session, counted against max-sessions
 * @nn: the namespace
 *
 * Any context.
 *
 * Return: the session (zeroed, with an id), or NULL if the table is full
 * (counted) or memory is short.
 */
struct ngre_session *ngre_session_alloc(struct ngre_net *nn)
{
	struct ngre_session_table *tab = &nn->sessions;
	struct ngre_session *s;
	int n;

	n = atomic_inc_return(&tab->count);
	if (n > READ_ONCE(tab->max)) {
		atomic_dec(&tab->count);
		ngre_stat_inc(nn, NGRE_STAT(SESSION_REFUSED));
		/* Expired sessions may be taking the room: the collector
		 * comes within its shortest period (once until it has).
		 */
		if (!READ_ONCE(tab->gc_pressed)) {
			WRITE_ONCE(tab->gc_pressed, true);
			ngre_session_gc_soon(tab);
		}
		return NULL;
	}
	if (n == 1)
		ngre_session_gc_soon(tab);
	s = kmem_cache_zalloc(ngre_session_cache, GFP_ATOMIC);
	if (!s) {
		atomic_dec(&tab->count);
		return NULL;
	}
	s->flow[NGRE_DIR_REV].dir = NGRE_DIR_REV;
	spin_lock_init(&s->lock);
	s->id = atomic_inc_return(&tab->next_id);
	if (unlikely(!s->id))
		s->id = atomic_inc_return(&tab->next_id);
	s->start = jiffies;
	s->timeout = jiffies + NGRE_UNCONFIRMED_TIMEOUT;
	return s;
}

static void ngre_session_release(struct ngre_session *s)
{
	int dir;

	for (dir = 0; dir < NGRE_DIR_N; dir++)
		dst_release(rcu_dereference_protected(s->flow[dir].dst, 1));
	if (s->svc)
		ngre_service_put(s->svc);
	kmem_cache_free(ngre_session_cache, s);
}

/* Free a session that was never linked (its count goes too). */
void ngre_session_free(struct ngre_net *nn, struct ngre_session *s)
{
	atomic_dec(&nn->sessions.count);
	ngre_session_release(s);
}

static void ngre_session_free_rcu(struct rcu_head *head)
{
	ngre_session_release(container_of(head, struct ngre_session, rcu));
}

/**
 * ngre_session_insert - link a new session's forward flow, unconfirmed
 * @nn: the namespace
 * @s: the session, complete
 *
 * Packets of the flow that come before the first one has left find it
 * and follow the same next hop.
 *
 * Return: 0, or -EEXIST if another CPU linked a session for the same flow
 * first (then @s is the caller's to free).
 */
int ngre_session_insert(struct ngre_net *nn, struct ngre_session *s)
{
	int err;

	err = rhashtable_lookup_insert_fast(&nn->sessions.ht,
					    &s->flow[NGRE_DIR_FWD].node,
					    ngre_session_params);
	if (!err) {
		atomic_inc(&nn->sessions.unconfirmed);
		atomic_inc(&s->svc->n_sessions);
		atomic64_inc(&ngre_session_nh(s)->sessions);
	}
	return err;
}

/* The idle timeout of @s in its current state. */
static unsigned long ngre_session_tmo(struct ngre_net *nn,
				      const struct ngre_session *s)
{
	const unsigned long *t = nn->sessions.timeout;

	switch (s->flow[NGRE_DIR_FWD].key.proto) {
	case IPPROTO_TCP:
		switch (READ_ONCE(s->tcp_state)) {
		case NGRE_TCP_ESTABLISHED:
			return READ_ONCE(t[NGRE_TO_TCP_ESTABLISHED]);
		case NGRE_TCP_CLOSING:
			return READ_ONCE(t[NGRE_TO_TCP_CLOSING]);
		default:
			return READ_ONCE(t[NGRE_TO_TCP_OPENING]);
		}
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		return READ_ONCE(t[NGRE_TO_UDP]);
	case IPPROTO_ICMP:
		return READ_ONCE(t[NGRE_TO_ICMP]);
	default:
		return READ_ONCE(t[NGRE_TO_OTHER]);
	}
}

/**
 * ngre_session_confirm - the first packet of @s left: link its reverse flow
 * @nn: the namespace
 * @s: a session
 *
 * Under RCU.  Nothing happens to a session that is confirmed or ended
 * already.  A reverse flow that clashes with another session's flow ends
 * @s.
 */
void ngre_session_confirm(struct ngre_net *nn, struct ngre_session *s)
{
	int err;

	spin_lock_bh(&s->lock);
	if (s->flags) {		/* confirmed, or dying */
		spin_unlock_bh(&s->lock);
		return;
	}
	err = rhashtable_lookup_insert_fast(&nn->sessions.ht,
					    &s->flow[NGRE_DIR_REV].node,
					    ngre_session_params);
	if (!err) {
		set_bit(NGRE_SESS_CONFIRMED, &s->flags);
		atomic_dec(&nn->sessions.unconfirmed);
		WRITE_ONCE(s->timeout, jiffies + ngre_session_tmo(nn, s));
		ngre_stat_inc(nn, NGRE_STAT(SESSION_CREATED));
	}
	spin_unlock_bh(&s->lock);
	if (err)
		ngre_session_end(nn, s, NGRE_STAT(SESSION_ENDED));
}

/**
 * ngre_session_mark_nat - conntrack translates the first packet of @s
 * @nn: the namespace
 * @s: an unconfirmed session
 *
 * @s becomes a NAT flow: never confirmed (the fast path would skip the
 * translation), its forward flow stays so that the packets of the
 * connection keep the next hop (and the NAT hooks) the first one had,
 * until it is idle for its protocol's timeout.
 *
 * Return: @s was marked by this call.
 */
bool ngre_session_mark_nat(struct ngre_net *nn, struct ngre_session *s)
{
	bool marked = false;

	spin_lock_bh(&s->lock);
	if (!s->flags) {
		set_bit(NGRE_SESS_NAT, &s->flags);
		atomic_dec(&nn->sessions.unconfirmed);
		WRITE_ONCE(s->timeout, jiffies + ngre_session_tmo(nn, s));
		marked = true;
	}
	spin_unlock_bh(&s->lock);
	return marked;
}

/**
 * ngre_session_end - unlink a session and free it after a grace period
 * @nn: the namespace
 * @s: the session
 * @stat: the counter that says why, if it was confirmed (NGRE_STAT_NONE:
 *	none)
 *
 * Any context, bottom halves disabled (for the counters); only the first
 * call for a session does anything.
 *
 * Return: this call ended it.
 */
bool ngre_session_end(struct ngre_net *nn, struct ngre_session *s,
		      unsigned int stat)
{
	struct ngre_session_table *tab = &nn->sessions;
	bool confirmed, nat;

	spin_lock_bh(&s->lock);
	if (test_bit(NGRE_SESS_DYING, &s->flags)) {
		spin_unlock_bh(&s->lock);
		return false;
	}
	set_bit(NGRE_SESS_DYING, &s->flags);
	confirmed = test_bit(NGRE_SESS_CONFIRMED, &s->flags);
	nat = test_bit(NGRE_SESS_NAT, &s->flags);
	rhashtable_remove_fast(&tab->ht, &s->flow[NGRE_DIR_FWD].node,
			       ngre_session_params);
	if (confirmed)
		rhashtable_remove_fast(&tab->ht, &s->flow[NGRE_DIR_REV].node,
				       ngre_session_params);
	spin_unlock_bh(&s->lock);

	if (!confirmed && !nat)
		atomic_dec(&tab->unconfirmed);
	else if (confirmed && stat != NGRE_STAT_NONE)
		ngre_stat_inc(nn, stat);
	atomic_dec(&s->svc->n_sessions);
	atomic_dec(&tab->count);
	call_rcu(&s->rcu, ngre_session_free_rcu);
	return true;
}

/**
 * ngre_sessions_end_if - end every session @match says yes to
 * @nn: the namespace
 * @match: the test, called under RCU
 * @arg: for @match
 * @stat: the counter that says why
 *
 * Walks the table in process context, with breaks to reschedule: no CPU
 * and no lock is held for long, whatever the size of the table.
 *
 * An rhashtable walker resumes after a break at the entry it stopped at
 * (recounting its place in the bucket); if that entry was unlinked
 * meanwhile, it would skip as many entries of the bucket as it had seen
 * there, gone ones included.  So a break is taken before an entry is
 * looked at, and only at one whose session is not dying (so linked); if
 * the entry went during the break anyway (the packet path ends sessions
 * too), the bucket is walked again from its head: entries may be seen
 * twice, and ending is idempotent.  The walks take turns (@walk_lock).
 * Sessions created during the walk may be missed; callers that must not
 * miss one make sure first that none can be created (a grace period
 * after the object they test for became unreachable).
 *
 * Return: the number of sessions ended.
 */
unsigned int ngre_sessions_end_if(struct ngre_net *nn,
				  bool (*match)(const struct ngre_session *s,
						const void *arg),
				  const void *arg, unsigned int stat)
{
	struct ngre_session_table *tab = &nn->sessions;
	unsigned int n = 0, seen = 0;
	struct rhashtable_iter iter;
	struct ngre_session *s;
	struct ngre_sflow *f;

	might_sleep();
	if (!atomic_read(&tab->count))
		return 0;
	mutex_lock(&tab->walk_lock);
	rhashtable_walk_enter(&tab->ht, &iter);
	rhashtable_walk_start(&iter);
	while ((f = rhashtable_walk_next(&iter))) {
		if (IS_ERR(f))
			continue;	/* -EAGAIN: resized; the walk goes on */
		s = ngre_sflow_session(f);
		if (++seen >= NGRE_GC_BATCH &&
		    !test_bit(NGRE_SESS_DYING, &s->flags)) {
			seen = 0;
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
			if (iter.p != &f->node) {
				iter.skip = 0;	/* @f went: the bucket again */
				continue;
			}
		}
		if (f->dir == NGRE_DIR_FWD && match(s, arg)) {
			local_bh_disable();
			n += ngre_session_end(nn, s, stat);
			local_bh_enable();
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	mutex_unlock(&tab->walk_lock);
	return n;
}

static bool ngre_session_uses_dev(const struct ngre_session *s,
				  const void *arg)
{
	int ifindex = *(const int *)arg;

	return s->flow[NGRE_DIR_FWD].iif == ifindex ||
	       s->flow[NGRE_DIR_REV].iif == ifindex;
}

/* The device numbered @ifindex went down or away: end the sessions that
 * receive or send through it.  Under the RTNL.
 */
void ngre_sessions_end_dev(struct ngre_net *nn, int ifindex)
{
	ngre_sessions_end_if(nn, ngre_session_uses_dev, &ifindex,
			     NGRE_STAT(SESSION_ENDED));
}

/**
 * ngre_session_touch - a packet hit @s: push its expiry
 * @nn: the namespace
 * @s: the session
 * @tcp_flags: the packet's TCP flags (TCP sessions), else 0
 * @reply: the packet is a reply, or (a NAT flow) conntrack has seen one
 *
 * The expiry is written only when it moves by more than a second (a
 * quarter of the timeout, if that is shorter), so the CPUs of a busy
 * session do not keep stealing its cache line.
 */
void ngre_session_touch(struct ngre_net *nn, struct ngre_session *s,
			u8 tcp_flags, bool reply)
{
	u8 old = READ_ONCE(s->tcp_state), state = old;
	unsigned long tmo, timeout;

	if (tcp_flags & (TCPHDR_FIN | TCPHDR_RST))
		state = NGRE_TCP_CLOSING;
	else if (state == NGRE_TCP_OPENING && reply)
		state = NGRE_TCP_ESTABLISHED;
	if (state != old)
		WRITE_ONCE(s->tcp_state, state);
	tmo = ngre_session_tmo(nn, s);
	timeout = jiffies + tmo;
	if (abs((long)(timeout - READ_ONCE(s->timeout))) >
	    min_t(unsigned long, HZ, tmo / 4))
		WRITE_ONCE(s->timeout, timeout);
}

static bool ngre_session_expired_match(const struct ngre_session *s,
				       const void *arg)
{
	return ngre_session_expired(s);
}

/* The next walk comes sooner or later (NGRE_GC_PERIOD_MIN above says
 * when); none while the table is empty, until its next session.  A
 * session counted after the test finds the work idle and queues it.
 */
static void ngre_session_gc(struct work_struct *work)
{
	struct ngre_session_table *tab =
		container_of(to_delayed_work(work), struct ngre_session_table,
			     gc);
	struct ngre_net *nn = container_of(tab, struct ngre_net, sessions);
	unsigned long period = READ_ONCE(tab->gc_period);
	bool pressed = READ_ONCE(tab->gc_pressed);
	unsigned int n;

	WRITE_ONCE(tab->gc_pressed, false);
	n = ngre_sessions_end_if(nn, ngre_session_expired_match, NULL,
				 NGRE_STAT(SESSION_EXPIRED));
	if (n || pressed ||
	    atomic_read(&tab->count) > READ_ONCE(tab->max) / 4 * 3)
		period = NGRE_GC_PERIOD_MIN;
	else
		period = min(2 * period, NGRE_GC_PERIOD_MAX);
	WRITE_ONCE(tab->gc_period, period);
	if (READ_ONCE(tab->active) && atomic_read(&tab->count))
		queue_delayed_work(system_power_efficient_wq, &tab->gc,
				   period);
}
