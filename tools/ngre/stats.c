// SPDX-License-Identifier: GPL-2.0
/*
 * ngre stats show: the datapath counters of the namespace
 * (NGRE_CMD_STATS_GET).
 */
#include <string.h>

#include "ngre.h"

/* Names as printed (text and JSON), indexed by NGRE_STATS_A_*. */
static const char *const stats_names[] = {
	[NGRE_STATS_A_ENCAP_SUCCESS]		= "encap_success",
	[NGRE_STATS_A_ENCAP_FAIL_LINK_DOWN]	= "encap_fail_link_down",
	[NGRE_STATS_A_ENCAP_FAIL_PROTOCOL]	= "encap_fail_protocol",
	[NGRE_STATS_A_ENCAP_FAIL_NO_ROUTE]	= "encap_fail_no_route",
	[NGRE_STATS_A_ENCAP_FAIL_TOO_BIG]	= "encap_fail_too_big",
	[NGRE_STATS_A_ENCAP_FAIL_NO_HEADROOM]	= "encap_fail_no_headroom",
	[NGRE_STATS_A_DECAP_SUCCESS]		= "decap_success",
	[NGRE_STATS_A_DECAP_FAIL_MALFORMED]	= "decap_fail_malformed",
	[NGRE_STATS_A_DECAP_FAIL_CHECKSUM]	= "decap_fail_checksum",
	[NGRE_STATS_A_DECAP_FAIL_KEY]		= "decap_fail_key",
	[NGRE_STATS_A_DECAP_FAIL_SEQUENCE]	= "decap_fail_sequence",
	[NGRE_STATS_A_DECAP_FAIL_PROTOCOL]	= "decap_fail_protocol",
	[NGRE_STATS_A_DECAP_FAIL_ECN]		= "decap_fail_ecn",
	[NGRE_STATS_A_DECAP_KEEPALIVE]		= "decap_keepalive",
	[NGRE_STATS_A_RX_NO_FLOW]		= "rx_no_flow",
	[NGRE_STATS_A_RX_KEY_MISMATCH]		= "rx_key_mismatch",
	[NGRE_STATS_A_INVALID_ENTRY]		= "invalid_entry",
	[NGRE_STATS_A_FRAG_REASSEMBLED]		= "frag_reassembled",
	[NGRE_STATS_A_PMTU_UPDATE]		= "pmtu_update",
	[NGRE_STATS_A_RX_NOT_LOCAL]		= "rx_not_local",
	[NGRE_STATS_A_DECAP_FAIL_POLICY]	= "decap_fail_policy",
	/* NGRE_STATS_A_PAD has no name: never printed */
	[NGRE_STATS_A_SESSION_CREATED]		= "session_created",
	[NGRE_STATS_A_SESSION_REFUSED]		= "session_refused",
	[NGRE_STATS_A_SESSION_EXPIRED]		= "session_expired",
	[NGRE_STATS_A_SESSION_ENDED]		= "session_ended",
	[NGRE_STATS_A_SESSION_DELETED]		= "session_deleted",
	[NGRE_STATS_A_SESSION_FW_DROPPED]	= "session_fw_dropped",
	[NGRE_STATS_A_SESSION_NAT_SKIPPED]	= "session_nat_skipped",
	[NGRE_STATS_A_SERVICE_NO_NEXTHOP]	= "service_no_nexthop",
	[NGRE_STATS_A_FLOW_HIT]			= "flow_hit",
	[NGRE_STATS_A_FLOW_WRONG_IIF]		= "flow_wrong_iif",
	[NGRE_STATS_A_TTL_EXPIRED]		= "ttl_expired",
	[NGRE_STATS_A_TOO_BIG]			= "too_big",
	[NGRE_STATS_A_FLOW_STALE]		= "flow_stale",
	[NGRE_STATS_A_FLOW_CT_LOST]		= "flow_ct_lost",
	[NGRE_STATS_A_RX_WRONG_LINK]		= "rx_wrong_link",
	[NGRE_STATS_A_DECAP_FAIL_SEQ_JUMP]	= "decap_fail_seq_jump",
	[NGRE_STATS_A_RX_IP_OPTIONS]		= "rx_ip_options",
	[NGRE_STATS_A_KEEPALIVE_SENT]		= "keepalive_sent",
	[NGRE_STATS_A_KEEPALIVE_REFLECTED]	= "keepalive_reflected",
	[NGRE_STATS_A_HEALTH_FAIL]		= "health_fail",
	[NGRE_STATS_A_PROBE_SENT]		= "probe_sent",
	[NGRE_STATS_A_PROBE_REPLIES]		= "probe_replies",
};

/*
 * The counters of the reply into @v, indexed like stats_names[]: types
 * this tool has no name for (a newer module's counters, PAD) are skipped.
 */
static void parse_stats(const struct nlmsghdr *nlh, uint64_t *v)
{
	const struct nlattr *top = reply_nest(nlh, NGRE_A_STATS), *a;
	unsigned int type;

	if (!top)
		return;
	mnl_attr_for_each_nested(a, top) {
		type = mnl_attr_get_type(a);
		if (type < ARRAY_SIZE(stats_names) && stats_names[type] &&
		    mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
			v[type] = mnl_attr_get_u64(a);
	}
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	uint64_t v[ARRAY_SIZE(stats_names)] = { 0 };
	unsigned int i;

	parse_stats(nlh, v);
	open_json_object(NULL);
	for (i = 1; i < ARRAY_SIZE(stats_names); i++) {
		if (!stats_names[i])
			continue;
		print_string(PRINT_FP, NULL, "%-24s ", stats_names[i]);
		print_u64(PRINT_ANY, stats_names[i], "%llu\n", v[i]);
	}
	close_json_object();
	return MNL_CB_OK;
}

static void stats_usage(FILE *f)
{
	fprintf(f, "Usage: ngre stats show\n");
}

int do_stats(struct nl *nl, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	int err;

	if ((argc >= 1 && matches(argv[0], "help")) ||
	    (argc >= 2 && matches(argv[1], "help"))) {
		stats_usage(stdout);
		return EXIT_OK;
	}
	if (argc >= 1 && !matches(argv[0], "show"))
		return usage_err("unknown stats command \"%s\"; try \"ngre stats help\"",
				 argv[0]);
	if (argc > 1)
		return usage_err("stats show: unexpected argument \"%s\"", argv[1]);
	nlh = nl_msg(nl, NGRE_CMD_STATS_GET, 0);
	err = nl_talk_one(nl, nlh, stats_cb, NULL);
	return err ? nl_report(nl, err, "stats show") : EXIT_OK;
}
