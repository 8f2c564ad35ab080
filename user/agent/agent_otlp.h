/* SPDX-License-Identifier: MIT */
/*
 * The OTLP profiles encoder: one process's stacks of one period as an
 * ExportProfilesServiceRequest of opentelemetry-proto v1.11.0, package
 * opentelemetry.proto.profiles.v1development (alpha: the next versions may
 * change field numbers; tests/data/otlp/ holds the .proto this follows).
 * POSTed as application/x-protobuf to OTLP_URL/v1development/profiles.
 */
#ifndef PYSTROBE_AGENT_OTLP_H
#define PYSTROBE_AGENT_OTLP_H

#include <stddef.h>
#include <stdint.h>
#include "lib/protobuf.h"
#include "report/report.h"
#include "target/container.h"

#define AGENT_OTLP_PATH "/v1development/profiles"

/* The resource: who the process is (every empty string is left out). */
struct agent_otlp_resource {
	const char *service; /* service.name */
	const char *host; /* host.name */
	const char *python; /* process.runtime.version ("3.12.1") */
	const struct container_ident *ct; /* k8s.*, container.id; NULL none */
	uint32_t pid; /* process.pid */
};

/*
 * Encode stacks st[0..n) (labels mode: tid and thread_name become the
 * sample attributes thread.id and thread.name) with meta's sample type,
 * period and times into out. 0 or -ENOMEM.
 */
int agent_otlp_encode(const struct report_stack *st, size_t n, const struct report_meta *meta,
		      const struct agent_otlp_resource *r, struct pbuf *out);

#endif /* PYSTROBE_AGENT_OTLP_H */
