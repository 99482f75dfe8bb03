-- wrk's summary for bench/load_test.sh: throughput, median, p95 and p99 latency, and every kind of error.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.1f median_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.status, e.connect, e.read, e.write, e.timeout))
end
