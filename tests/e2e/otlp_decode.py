"""Decode the agent's OTLP export requests independently of pystrobe: protoc
(Debian's protobuf-compiler) generates Python from tests/data/otlp/*.proto,
Debian's python3-protobuf parses. decode() flattens one request."""
import importlib
import os
import subprocess
import sys

PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "otlp")
PROTO = "profiles_v1development.proto"


def compile_proto(tmp):
    """The generated module, or raise with protoc's message."""
    out = os.path.join(tmp, "otlp_pb")
    os.makedirs(out, exist_ok=True)
    r = subprocess.run(["protoc", "-I", PROTO_DIR, "--python_out", out, PROTO],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    if r.returncode:
        raise RuntimeError("protoc: %s" % r.stdout)
    sys.path.insert(0, out)
    return importlib.import_module(PROTO.replace(".proto", "_pb2"))


def any_value(v):
    kind = v.WhichOneof("value")
    return getattr(v, kind) if kind else None


def decode(pb, body):
    """[{"resource": {k: v}, "scope": (name, version), "type": (t, u), "period_type",
    "period", "time_ns", "duration_ns", "samples": [(values, [leaf..root funcs],
    [lines], {attr: v})]}] of one request."""
    req = pb.ExportProfilesServiceRequest()
    req.ParseFromString(body)
    d = req.dictionary
    s = d.string_table

    def stack(i):
        funcs, lines = [], []
        for li in d.stack_table[i].location_indices:
            for line in d.location_table[li].lines:
                funcs.append(s[d.function_table[line.function_index].name_strindex])
                lines.append(line.line)
        return funcs, lines

    out = []
    for rp in req.resource_profiles:
        res = {kv.key: any_value(kv.value) for kv in rp.resource.attributes}
        for sp in rp.scope_profiles:
            for p in sp.profiles:
                samples = []
                for smp in p.samples:
                    attrs = {s[d.attribute_table[a].key_strindex]:
                             any_value(d.attribute_table[a].value) for a in smp.attribute_indices}
                    funcs, lines = stack(smp.stack_index)
                    samples.append((list(smp.values), funcs, lines, attrs))
                out.append({"resource": res, "scope": (sp.scope.name, sp.scope.version),
                            "type": (s[p.sample_type.type_strindex],
                                     s[p.sample_type.unit_strindex]),
                            "period_type": (s[p.period_type.type_strindex],
                                            s[p.period_type.unit_strindex]),
                            "period": p.period, "time_ns": p.time_unix_nano,
                            "duration_ns": p.duration_nano, "samples": samples,
                            "zero_entries": (s[0] == "" and len(d.mapping_table) >= 1 and
                                             len(d.stack_table) >= 1 and
                                             not d.stack_table[0].location_indices)})
    return out
