// SPDX-License-Identifier: GPL-2.0-only
/*
 * ppt: statistics kept since the module loaded, for monitoring
 * (PPT_CMD_STATS_GET, pptadm export prometheus).
 *
 * Resets and cleans are counted by operation, by the method that ran
 * (struct ppt_reset_result) and by outcome, each series with a histogram
 * of durations; quarantines and lease expiries are plain counters.  Every
 * place that records one already holds ppt_table_lock (a reset's result is
 * written to the device table, states change in ppt_table_set_state(),
 * leases end under it), so the counters live under that lock too: no
 * other lock to order, and recording is a few additions that cannot fail
 * or sleep.
 */
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>

#include "ppt.h"

/*
 * Bucket upper bounds in microseconds: an FLR waits 100 ms, a bus reset
 * about 1 s, a clean of a whole domain or of a slow device up to tens of
 * seconds.
 */
const u64 ppt_stats_bounds[PPT_STATS_NBOUNDS] = {
	10000, 50000, 100000, 150000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000, 30000000, 60000000,
};

static struct ppt_stats_series ppt_stats_series_tab[PPT_STATS_NSERIES];
static u64 ppt_stats_quarantine_count;
static u64 ppt_stats_lease_expiry_count;

/* Bumped by every change; a dump that spans one is flagged interrupted. */
unsigned int ppt_stats_gen;

/**
 * ppt_stats_index() - a series' index
 * @op: enum ppt_stats_op
 * @method: enum ppt_reset_method that ran
 * @failed: it failed
 *
 * Return: the index, 0 to %PPT_STATS_NSERIES - 1.
 */
unsigned int ppt_stats_index(enum ppt_stats_op op,
			     enum ppt_reset_method method, bool failed)
{
	return (op * (PPT_RESET_MAX + 1) + method) * 2 + failed;
}

/**
 * ppt_stats_reset() - count a reset or clean that touched the hardware
 * @op: enum ppt_stats_op
 * @method: the method that ran
 * @failed: it failed
 * @usec: how long it took
 *
 * Context: ppt_table_lock held.
 */
void ppt_stats_reset(enum ppt_stats_op op, enum ppt_reset_method method,
		     bool failed, u64 usec)
{
	struct ppt_stats_series *s;
	unsigned int b;

	lockdep_assert_held(&ppt_table_lock);
	if (op > PPT_STATS_OP_MAX || method > PPT_RESET_MAX)
		return;
	s = &ppt_stats_series_tab[ppt_stats_index(op, method, failed)];
	for (b = 0; b < PPT_STATS_NBOUNDS && usec > ppt_stats_bounds[b]; b++)
		;
	s->buckets[b]++;
	s->count++;
	s->usec_sum += usec;
	ppt_stats_gen++;
}

/**
 * ppt_stats_quarantined() - count a device moved into quarantined
 *
 * Context: ppt_table_lock held (ppt_table_set_state()).
 */
void ppt_stats_quarantined(void)
{
	lockdep_assert_held(&ppt_table_lock);
	ppt_stats_quarantine_count++;
	ppt_stats_gen++;
}

/**
 * ppt_stats_lease_expired() - count a lease that ended holding devices
 *
 * Context: ppt_table_lock held.
 */
void ppt_stats_lease_expired(void)
{
	lockdep_assert_held(&ppt_table_lock);
	ppt_stats_lease_expiry_count++;
	ppt_stats_gen++;
}

/**
 * ppt_stats_series() - one series, to read
 * @i: its index, below %PPT_STATS_NSERIES
 * @op: receives its enum ppt_stats_op
 * @method: receives its enum ppt_reset_method
 * @failed: receives whether it counts failures
 *
 * Context: ppt_table_lock held while the series is read.
 * Return: the series.
 */
const struct ppt_stats_series *ppt_stats_series(unsigned int i,
						enum ppt_stats_op *op,
						enum ppt_reset_method *method,
						bool *failed)
{
	lockdep_assert_held(&ppt_table_lock);
	*failed = i % 2;
	*method = (i / 2) % (PPT_RESET_MAX + 1);
	*op = i / 2 / (PPT_RESET_MAX + 1);
	return &ppt_stats_series_tab[i];
}

/**
 * ppt_stats_totals() - the plain counters
 * @quarantines: receives how many times a device was quarantined
 * @lease_expiries: receives how many leases ended holding devices
 *
 * Context: ppt_table_lock held.
 */
void ppt_stats_totals(u64 *quarantines, u64 *lease_expiries)
{
	lockdep_assert_held(&ppt_table_lock);
	*quarantines = ppt_stats_quarantine_count;
	*lease_expiries = ppt_stats_lease_expiry_count;
}
