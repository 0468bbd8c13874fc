-- wrk script of the HTTP benchmark: print one JSON line with the summary and the latency
-- percentiles (µs) for bench/http/run.ts to parse.
--
-- With an argument N (`wrk ... <url> -- N`) each thread stops itself after N responses:
-- it prints WRKSTOP so that bench/http/clients.ts interrupts wrk's main thread (which
-- otherwise sleeps for the whole -d duration), and wrk reports the count it really got
-- (a few responses read in the same event-loop turn may be counted after the N-th).
local limit = nil
local seen = 0

init = function(args)
  if args[1] ~= nil then limit = tonumber(args[1]) end
end

response = function(status, headers, body)
  if limit == nil then return end
  seen = seen + 1
  if seen == limit then
    io.write('WRKSTOP\n')
    io.flush()
    wrk.thread:stop()
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d,"max":%d,"mean":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, latency.mean))
end
