-- wrk: print the latency percentiles (microseconds) and counts as one JSON line.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, summary.duration / 1e6, errors, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
