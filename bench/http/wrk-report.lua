-- wrk script of the HTTP benchmark: stop each thread after WRK_LIMIT responses (0: run for
-- the duration) and print one JSON line with the summary and latency percentiles (µs).
local limit = tonumber(os.getenv("WRK_LIMIT") or "0")
local count = 0
if limit > 0 then
  response = function(status, headers, body)
    count = count + 1
    if count >= limit then wrk.thread:stop() end
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d,"max":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, latency.mean))
end
