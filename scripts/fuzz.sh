#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a bounded time and prints executions and crashes per
# target (see RELIABILITY.md).
#
#   scripts/fuzz.sh                 # every target, 60 s each
#   FUZZ_SECONDS=30 scripts/fuzz.sh events context
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). The corpora in
# fuzz/corpus/ are seeded from lambda-events' fixtures and a few hand-written exchanges, then
# grow with each run (they are not committed). A crash leaves its input in fuzz/artifacts/TARGET/;
# reproduce it with `cargo +nightly fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-...`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${FUZZ_SECONDS:-60}"
fuzz_flags=(-s none --debug-assertions)
cd "$root/fuzz"

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz.sh: the nightly toolchain is missing: rustup toolchain install nightly" >&2
    exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is missing: cargo install cargo-fuzz" >&2
    exit 2
fi
# Resolve the same dependency versions as the workspace.
[ -f Cargo.lock ] || cp "$root/Cargo.lock" Cargo.lock

all_targets=(events context http_request http_response telemetry_batch runtime_client emulator_runtime_api emulator_invoke)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

echo "fuzz.sh: building the targets" >&2
cargo +nightly fuzz build "${fuzz_flags[@]}" "${targets[@]:0:1}" >&2
for target in "${targets[@]:1}"; do cargo +nightly fuzz build "${fuzz_flags[@]}" "$target" >&2; done

# Seeds: written by content hash, so re-running adds nothing twice.
python3 - "$root" <<'PY'
import hashlib, os, pathlib, re, sys
root = pathlib.Path(sys.argv[1])
corpus = root / "fuzz" / "corpus"
seeds = root / "fuzz" / "seeds"

def put(directory, data):
    directory.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)

fixtures = sorted((root / "lambda-events" / "fixtures").rglob("*.json"))
source = (root / "fuzz" / "fuzz_targets" / "events.rs").read_text()
table = source[source.index("event_types! {") : ]
table = table[: table.index("\n}")]
types = len(re.findall(r"^    [a-z_0-9]+::", table, re.M))
# events: every fixture under every type (merged into the corpus by libFuzzer: only the pairs
# that add coverage stay).
for fixture in fixtures:
    data = fixture.read_bytes()
    for index in range(types):
        put(seeds / "events", bytes([index]) + data)
    put(corpus / "http_request", data)
request_id = "Lambda-Runtime-Aws-Request-Id: 8476a536-e9f4-11e8-9739-2dfe598c3fcd\n"
deadline = "Lambda-Runtime-Deadline-Ms: 1542409706888\n"
arn = "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-2:123456789012:function:custom-runtime\n"
trace = "Lambda-Runtime-Trace-Id: Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1\n"
client_context = 'Lambda-Runtime-Client-Context: {"client":{"installation_id":"i","app_title":"t","app_version_name":"1","app_version_code":"1","app_package_name":"p"},"custom":{"a":"b"},"env":{"platform":"Android"}}\n'
cognito = 'Lambda-Runtime-Cognito-Identity: {"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}\n'
tenant = "Lambda-Runtime-Aws-Tenant-Id: tenant-1\n"
for headers in [request_id + deadline + arn + trace, request_id + deadline + arn + client_context + cognito + tenant, request_id, deadline + arn]:
    put(corpus / "context", headers)
    body = b'{"name":"world"}'
    response = "HTTP/1.1 200 OK\r\n" + headers.replace("\n", "\r\n") + "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    put(corpus / "runtime_client", response.encode() + body)
put(corpus / "runtime_client", b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\n{}")
put(corpus / "runtime_client", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n" + request_id.replace("\n", "\r\n").encode() + b"\r\n2\r\n{}\r\n0\r\n\r\n")
for source_index in range(7):
    for status in [200, 302, 404, 500]:
        for head, body in [(b"content-type: application/json\n", b'{"ok":true}'),
                           (b"content-type: image/png\nset-cookie: a=1\nset-cookie: b=2\nx-multi: 1\nx-multi: 2\n", bytes(range(256))),
                           (b"", b"")]:
            put(corpus / "http_response", bytes([source_index, status & 1]) + status.to_bytes(2, "big") + head + b"\0" + body)
batches = [
    '[{"time":"2020-08-20T12:31:32.123Z","type":"function","record":"Hello"},{"time":"2020-08-20T12:31:32.123Z","type":"platform.start","record":{"requestId":"6f7f0961f83442118a7af6fe80b88d56","version":"$LATEST"}}]',
    '[{"time":"2022-10-12T00:03:50.000Z","type":"platform.report","record":{"requestId":"r","status":"success","metrics":{"durationMs":1.5,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":20,"initDurationMs":3.2},"spans":[{"name":"responseLatency","start":"2022-10-12T00:03:50.000Z","durationMs":1.0}],"tracing":{"spanId":"s","type":"X-Amzn-Trace-Id","value":"Root=1-x"}}}]',
    '[{"time":"2022-10-12T00:00:15.064Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"nodejs-14.v3","runtimeVersionArn":"arn"}},{"time":"2022-10-12T00:00:15.064Z","type":"platform.initRuntimeDone","record":{"initializationType":"on-demand","status":"success"}},{"time":"t","type":"platform.logsDropped","record":{"reason":"r","droppedRecords":1,"droppedBytes":2}},{"time":"t","type":"extension","record":{"message":"m","level":"INFO"}}]',
    '[{"type":"function","record":"no time"},{"time":7,"type":"function","record":"x"},[1],"text",{"time":"t","type":"platform.newThing","record":{"a":1}}]',
]
for batch in batches:
    put(corpus / "telemetry_batch", batch)
def http(method, path, headers="", body=b""):
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Length: {len(body)}\r\n\r\n"
    return head.encode() + body
put(corpus / "emulator_runtime_api", http("GET", "/2018-06-01/runtime/invocation/next"))
put(corpus / "emulator_runtime_api", http("POST", "/2018-06-01/runtime/invocation/1/response", body=b'{"a":1}'))
put(corpus / "emulator_runtime_api", http("POST", "/2018-06-01/runtime/invocation/1/error", "Lambda-Runtime-Function-Error-Type: Function.Bad\r\n", b'{"errorType":"Bad","errorMessage":"m"}'))
put(corpus / "emulator_runtime_api", http("POST", "/2018-06-01/runtime/init/error", "Lambda-Runtime-Function-Error-Type: Runtime.Init\r\n", b'{"errorType":"Init","errorMessage":"m"}'))
put(corpus / "emulator_runtime_api", http("POST", "/2020-01-01/extension/register", "Lambda-Extension-Name: ext\r\n", b'{"events":["INVOKE","SHUTDOWN"]}'))
put(corpus / "emulator_runtime_api", http("GET", "/2020-01-01/extension/event/next", "Lambda-Extension-Identifier: x\r\n"))
put(corpus / "emulator_runtime_api", http("PUT", "/2022-07-01/telemetry", "Lambda-Extension-Identifier: x\r\n", b'{"schemaVersion":"2022-12-13","types":["platform","function"],"buffering":{"maxItems":1000,"maxBytes":262144,"timeoutMs":100},"destination":{"protocol":"HTTP","URI":"http://sandbox.localdomain:8080/t"}}'))
put(corpus / "emulator_runtime_api", http("PUT", "/2020-08-15/logs", "Lambda-Extension-Identifier: x\r\n", b'{"types":["function"]}'))
for headers in ["X-Amz-Invocation-Type: Event\n", "X-Amz-Invocation-Type: DryRun\nX-Amz-Tenant-Id: t\n",
                "X-Amz-Client-Context: eyJjdXN0b20iOnsiYSI6ImIifX0=\nX-Amzn-Trace-Id: Root=1-a\n", "X-Amz-Client-Context: not base64\n"]:
    put(corpus / "emulator_invoke", headers)
PY

if [[ " ${targets[*]} " == *" events "* ]]; then
    echo "fuzz.sh: merging the events seeds into the corpus" >&2
    cargo +nightly fuzz run "${fuzz_flags[@]}" events corpus/events seeds/events -- -merge=1 >/dev/null 2>&1 || true
    rm -rf seeds
fi

summary=()
failed=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    before=$(find "artifacts/$target" -type f | wc -l)
    log="$(mktemp)"
    echo "fuzz.sh: $target for ${seconds}s" >&2
    status=0
    cargo +nightly fuzz run "${fuzz_flags[@]}" "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    after=$(find "artifacts/$target" -type f | wc -l)
    crashes=$((after - before))
    if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes="failed (exit $status)"; fi
    if [ "$status" -ne 0 ]; then
        failed=1
        grep -E "panicked at|ERROR: libFuzzer|SUMMARY|Test unit written" "$log" | head -5 >&2 || true
    fi
    summary+=("$(printf '| %-22s | %7s | %12s | %s |' "$target" "$seconds" "${execs:-?}" "$crashes")")
    rm -f "$log"
done

echo
echo "| target                 | seconds | executions   | crashes |"
echo "| ---------------------- | ------: | -----------: | ------- |"
printf '%s\n' "${summary[@]}"
exit "$failed"
