// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sanitise agent and the requests that wait for it.
 *
 * Erasing a device (an NVMe's namespaces, a GPU's frame buffer) is
 * userspace's work: it drives the device through VFIO, for as long as the
 * erase takes (minutes for a Format NVM, hours for some Sanitize
 * operations).  The kernel asks and waits without sleeping: a clean that
 * needs a sanitiser binds the device's group to vfio-pci (ppt_ops.c) and
 * submits one job per function here.  A job is sent to the registered
 * agent's socket (PPT_CMD_SANITISE_REQ_NTF) and answered by
 * PPT_CMD_SANITISE_DONE; a delayed work item is its timer: agent_wait
 * seconds for an agent to register, sanitise_timeout seconds for the
 * agent to answer.  Whichever comes first (the answer, the timer, the
 * agent's socket closing, the module unloading) ends the job, once; the
 * operation goes on when its last job has ended (ppt_op_sanitise_ended()).
 *
 * One agent at a time: the socket that registered, until it closes (the
 * netlink core's NETLINK_URELEASE).  Jobs sent to it that it had not
 * answered fail then; jobs still waiting for an agent are sent to the
 * next one that registers.
 *
 * Locking: ppt_agent_lock guards the agent's identity, the list of jobs
 * and each job's fields until it has ended.  It is taken with no other
 * ppt lock held, and nothing under it sleeps but an allocation (sending
 * to the agent does not wait: a full socket fails the job).  A job's
 * timer takes it too, so a job's memory is freed only after
 * cancel_delayed_work_sync() (ppt_agent_job_free()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "ppt.h"

/* Guards everything below and each job until it ends; see above. */
static DEFINE_MUTEX(ppt_agent_lock);
static u32 ppt_agent_portid;
static pid_t ppt_agent_pid;
/*
 * The agent registered with %PPT_A_INSPECT: it reads a device without
 * erasing it when a request says so.  An agent that did not would take
 * such a request for an erase, so it is never sent one.
 */
static bool ppt_agent_inspects;
static LIST_HEAD(ppt_agent_jobs);
static unsigned int ppt_agent_njobs;
/* set at unload: jobs end at once instead of waiting */
static bool ppt_agent_closing;

static atomic64_t ppt_sanitise_ids = ATOMIC64_INIT(0);

unsigned int ppt_sanitise_timeout = 3600;
unsigned int ppt_agent_wait = 120;

/*
 * End a job: record the outcome and take it off the list.  @why is a
 * constant reason, kept as the failure's message unless the agent gave
 * one.  The caller tells the operation (ppt_op_sanitise_ended()) once the
 * lock is let go.  Returns false when it had ended already.
 */
static bool ppt_agent_job_end(struct ppt_sanitise_job *job, int err,
			      const char *why)
{
	lockdep_assert_held(&ppt_agent_lock);
	if (job->ended)
		return false;
	job->ended = true;
	job->res.err = err;
	job->why = why;
	if (why && !job->res.msg[0])
		strscpy(job->res.msg, why, sizeof(job->res.msg));
	job->res.usec = div_u64(ktime_get_ns() - job->start_ns, NSEC_PER_USEC);
	job->res.when = ktime_get_real_seconds();
	list_del_init(&job->node);
	ppt_agent_njobs--;
	return true;
}

/*
 * (Re)arm a job's timer for @secs seconds from now.  A timer that fired
 * just before (its handler waiting for the lock) finds the new deadline
 * ahead and leaves the job to the timer armed here.
 */
static void ppt_agent_job_arm(struct ppt_sanitise_job *job, unsigned int secs)
{
	unsigned long delay = (unsigned long)secs * HZ;

	lockdep_assert_held(&ppt_agent_lock);
	job->deadline = jiffies + delay;
	mod_delayed_work(system_wq, &job->timer, delay);
}

/*
 * Send a job to the registered agent, and give it sanitise_timeout
 * seconds.  A job the agent cannot be sent (its socket is full or gone)
 * ends: it would never be answered.  Returns true when the job ended.
 */
static bool ppt_agent_send(struct ppt_sanitise_job *job)
{
	unsigned int timeout = max(READ_ONCE(ppt_sanitise_timeout), 1U);
	int ret;

	lockdep_assert_held(&ppt_agent_lock);
	if (job->inspect && !ppt_agent_inspects)
		return ppt_agent_job_end(job, -EOPNOTSUPP,
					 "the sanitise agent cannot inspect without erasing (it is older than inspection): update it");
	ret = ppt_nl_send_sanitise_req(ppt_agent_portid, job, timeout);
	if (ret) {
		pci_warn(job->pdev, "the sanitise request could not be sent to the agent (%d)\n",
			 ret);
		return ppt_agent_job_end(job, -ECOMM,
					 "the sanitise request could not be sent to the agent");
	}
	job->sent_to = ppt_agent_portid;
	ppt_agent_job_arm(job, timeout);
	return false;
}

/* A job's timer: no agent came, or the agent did not answer in time. */
static void ppt_agent_timer(struct work_struct *work)
{
	struct ppt_sanitise_job *job =
		container_of(to_delayed_work(work), struct ppt_sanitise_job, timer);
	bool ended;

	mutex_lock(&ppt_agent_lock);
	if (time_before(jiffies, job->deadline))
		ended = false;
	else if (job->sent_to)
		ended = ppt_agent_job_end(job, -ETIMEDOUT,
					  "the sanitiser did not finish within sanitise_timeout");
	else
		ended = ppt_agent_job_end(job, -ENOTCONN,
					  "no sanitise agent is registered (start pptadm agent)");
	mutex_unlock(&ppt_agent_lock);
	if (ended)
		ppt_op_sanitise_ended(job);
}

/**
 * ppt_agent_job_new() - a job for one function of a sanitise operation
 * @op: the operation
 * @pdev: the function; the operation holds its reference
 * @spec: its sanitiser
 *
 * Return: the job, or NULL when out of memory.
 */
struct ppt_sanitise_job *ppt_agent_job_new(struct ppt_op *op,
					   struct pci_dev *pdev,
					   const char *spec)
{
	struct ppt_sanitise_job *job = kzalloc(sizeof(*job), GFP_KERNEL);

	if (!job)
		return NULL;
	job->last = kzalloc(sizeof(*job->last), GFP_KERNEL);
	if (!job->last) {
		kfree(job);
		return NULL;
	}
	INIT_LIST_HEAD(&job->node);
	INIT_DELAYED_WORK(&job->timer, ppt_agent_timer);
	job->op = op;
	job->pdev = pdev;
	job->id = atomic64_inc_return(&ppt_sanitise_ids);
	strscpy(job->res.spec, spec, sizeof(job->res.spec));
	return job;
}

/**
 * ppt_agent_job_free() - free a job that has ended, once its timer is idle
 * @job: the job, or NULL
 *
 * Context: process context, ppt_agent_lock not held.
 */
void ppt_agent_job_free(struct ppt_sanitise_job *job)
{
	if (!job)
		return;
	cancel_delayed_work_sync(&job->timer);
	kfree(job->last);
	kfree(job);
}

/**
 * ppt_agent_submit() - ask the agent to run a job, or wait for one
 * @job: from ppt_agent_job_new(), its function bound to vfio-pci
 *
 * Without an agent the job waits agent_wait seconds for one to register.
 * While ppt unloads it ends at once.  Either way ppt_op_sanitise_ended()
 * is called exactly once for it, maybe before this returns.
 *
 * Context: process context, no ppt lock held.
 */
void ppt_agent_submit(struct ppt_sanitise_job *job)
{
	bool ended = false;

	mutex_lock(&ppt_agent_lock);
	job->start_ns = ktime_get_ns();
	list_add_tail(&job->node, &ppt_agent_jobs);
	ppt_agent_njobs++;
	if (ppt_agent_closing)
		ended = ppt_agent_job_end(job, -ESHUTDOWN, "ppt is being unloaded");
	else if (ppt_agent_portid)
		ended = ppt_agent_send(job);
	else
		ppt_agent_job_arm(job, READ_ONCE(ppt_agent_wait));
	mutex_unlock(&ppt_agent_lock);
	if (ended)
		ppt_op_sanitise_ended(job);
}

/*
 * End the jobs ppt_agent_lock's holder collected on @ended (off the agent
 * list, on their own), telling their operations.
 */
static void ppt_agent_tell(struct list_head *ended)
{
	struct ppt_sanitise_job *job, *next;

	list_for_each_entry_safe(job, next, ended, node) {
		list_del_init(&job->node);
		ppt_op_sanitise_ended(job);
	}
}

/**
 * ppt_agent_register() - make a socket the sanitise agent
 * @portid: the socket's netlink port id
 * @inspects: it registered with %PPT_A_INSPECT: it can be sent inspections
 * @why: set to a constant reason on failure
 *
 * Jobs waiting for an agent are sent to it at once.
 *
 * Context: process context (a netlink handler), no ppt lock held.
 * Return: 0, -EBUSY while another socket is registered, -EALREADY when
 * this one is, -ESHUTDOWN while ppt unloads.
 */
int ppt_agent_register(u32 portid, bool inspects, const char **why)
{
	struct ppt_sanitise_job *job, *next;
	LIST_HEAD(ended);
	int ret = 0;

	mutex_lock(&ppt_agent_lock);
	if (ppt_agent_closing) {
		*why = "ppt is being unloaded";
		ret = -ESHUTDOWN;
	} else if (ppt_agent_portid == portid) {
		*why = "this socket is the sanitise agent already";
		ret = -EALREADY;
	} else if (ppt_agent_portid) {
		*why = "another sanitise agent is registered (pptadm agent --status names it)";
		ret = -EBUSY;
	}
	if (ret)
		goto unlock;
	ppt_agent_portid = portid;
	ppt_agent_pid = task_tgid_nr(current);
	ppt_agent_inspects = inspects;
	pr_info("sanitise agent registered: pid %d, netlink port %u, %u request%s waiting%s\n",
		ppt_agent_pid, portid, ppt_agent_njobs,
		ppt_agent_njobs == 1 ? "" : "s",
		inspects ? "" : "; it cannot inspect");
	list_for_each_entry_safe(job, next, &ppt_agent_jobs, node)
		if (!job->sent_to && ppt_agent_send(job))
			list_add_tail(&job->node, &ended);
unlock:
	mutex_unlock(&ppt_agent_lock);
	ppt_agent_tell(&ended);
	return ret;
}

/**
 * ppt_agent_get() - the registered agent
 * @portid: receives its port id
 * @pid: receives the process that registered it
 * @pending: receives how many jobs are outstanding
 *
 * Return: 0, or -ENOENT when no agent is registered.
 */
int ppt_agent_get(u32 *portid, pid_t *pid, u32 *pending)
{
	int ret = 0;

	mutex_lock(&ppt_agent_lock);
	*portid = ppt_agent_portid;
	*pid = ppt_agent_pid;
	*pending = ppt_agent_njobs;
	if (!ppt_agent_portid)
		ret = -ENOENT;
	mutex_unlock(&ppt_agent_lock);
	return ret;
}

/**
 * ppt_agent_done() - the agent's answer to a job
 * @id: the job's id
 * @pdev: the function the answer names
 * @err: 0 when it erased and verified, else a negative errno
 * @msg: why it failed, or NULL
 * @method: what ran, or NULL
 * @verified: what was read back, or NULL
 * @why: set to a constant reason on failure
 *
 * Context: process context (a netlink handler), no ppt lock held.
 * Return: 0, -ENOENT for an id no job waits for (it ended), -EINVAL when
 * the id is another function's.
 */
int ppt_agent_done(u64 id, struct pci_dev *pdev, int err, const char *msg,
		   const char *method, const char *verified, const char **why)
{
	struct ppt_sanitise_job *job, *found = NULL;

	mutex_lock(&ppt_agent_lock);
	list_for_each_entry(job, &ppt_agent_jobs, node) {
		if (job->id == id) {
			found = job;
			break;
		}
	}
	/* one still waiting for an agent was never asked */
	if (!found || !found->sent_to) {
		mutex_unlock(&ppt_agent_lock);
		*why = "no sanitise request with this id is outstanding (it ended)";
		return -ENOENT;
	}
	if (found->pdev != pdev) {
		mutex_unlock(&ppt_agent_lock);
		*why = "the sanitise request with this id is for another device";
		return -EINVAL;
	}
	if (method)
		strscpy(found->res.method, method, sizeof(found->res.method));
	if (verified)
		strscpy(found->res.verified, verified, sizeof(found->res.verified));
	if (err && msg)
		strscpy(found->res.msg, msg, sizeof(found->res.msg));
	found->answered = true;
	ppt_agent_job_end(found, err, err ?
			  "the sanitiser failed: pptadm show names why (last sanitise)" :
			  NULL);
	mutex_unlock(&ppt_agent_lock);
	ppt_op_sanitise_ended(found);
	return 0;
}

/*
 * The agent's socket closed: jobs it had not answered fail, and the next
 * agent gets the ones still waiting.
 */
static int ppt_agent_notify(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct netlink_notify *n = ptr;
	struct ppt_sanitise_job *job, *next;
	LIST_HEAD(ended);

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net) || !n->portid)
		return NOTIFY_DONE;
	mutex_lock(&ppt_agent_lock);
	if (n->portid != ppt_agent_portid) {
		mutex_unlock(&ppt_agent_lock);
		return NOTIFY_DONE;
	}
	pr_info("sanitise agent (pid %d) went away with %u request%s outstanding\n",
		ppt_agent_pid, ppt_agent_njobs, ppt_agent_njobs == 1 ? "" : "s");
	list_for_each_entry_safe(job, next, &ppt_agent_jobs, node)
		if (job->sent_to == n->portid &&
		    ppt_agent_job_end(job, -ECONNRESET,
				      "the sanitise agent went away before it answered"))
			list_add_tail(&job->node, &ended);
	ppt_agent_portid = 0;
	ppt_agent_pid = 0;
	mutex_unlock(&ppt_agent_lock);
	ppt_agent_tell(&ended);
	return NOTIFY_DONE;
}

static struct notifier_block ppt_agent_nb = {
	.notifier_call = ppt_agent_notify,
};

/**
 * ppt_agent_init() - listen for the agent's socket closing
 *
 * Return: 0 or a negative errno.
 */
int ppt_agent_init(void)
{
	return netlink_register_notifier(&ppt_agent_nb);
}

/**
 * ppt_agent_close() - end every job at unload
 *
 * Their operations take the devices back (dirty) on ppt's workqueue,
 * which ppt_ops_close() flushes next.
 *
 * Context: module exit, before ppt_ops_close().
 */
void ppt_agent_close(void)
{
	struct ppt_sanitise_job *job, *next;
	LIST_HEAD(ended);

	mutex_lock(&ppt_agent_lock);
	ppt_agent_closing = true;
	list_for_each_entry_safe(job, next, &ppt_agent_jobs, node)
		if (ppt_agent_job_end(job, -ESHUTDOWN, "ppt is being unloaded"))
			list_add_tail(&job->node, &ended);
	mutex_unlock(&ppt_agent_lock);
	ppt_agent_tell(&ended);
}

/**
 * ppt_agent_exit() - stop listening
 *
 * Context: module exit (after ppt_ops_close()) or init failure.
 */
void ppt_agent_exit(void)
{
	netlink_unregister_notifier(&ppt_agent_nb);
}
