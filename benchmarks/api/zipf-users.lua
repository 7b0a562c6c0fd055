-- wrk script: GET /v1/orgs/{org}/users/{id} with user ranks drawn from Zipf(s = 0.99) over all demo users.
-- Rank r (1 = most popular) maps to user id ((r - 1) * 7919) % N + 1, a bijection (7919 is prime and does not
-- divide N) that spreads the hot users over all organisations. Demo data: N = 100 orgs x 1000 users, ids dense.
-- Sampling: inverse CDF by binary search over the cumulative weights. Each wrk thread draws SAMPLES requests up
-- front (in init, before the clock starts) and cycles through them, so the client spends its CPU on sending, not on
-- sampling, and cached and uncached runs are driven equally hard.
local N = tonumber(os.getenv("BENCH_USERS") or "100000")
local USERS_PER_ORG = tonumber(os.getenv("BENCH_USERS_PER_ORG") or "1000")
local S = tonumber(os.getenv("BENCH_ZIPF_S") or "0.99")
local SAMPLES = tonumber(os.getenv("BENCH_ZIPF_SAMPLES") or "200000")
local counter = 0
local requests = {}
local nextRequest = 1

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(seed * 7919 + os.time())
  local cdf = {}
  local sum = 0
  for k = 1, N do
    sum = sum + 1 / (k ^ S)
    cdf[k] = sum
  end
  for i = 1, SAMPLES do
    local u = math.random() * sum
    local lo, hi = 1, N
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if cdf[mid] < u then lo = mid + 1 else hi = mid end
    end
    local id = ((lo - 1) * 7919) % N + 1
    local org = math.floor((id - 1) / USERS_PER_ORG) + 1
    requests[i] = wrk.format("GET", "/v1/orgs/" .. org .. "/users/" .. id)
  end
end

function request()
  local r = requests[nextRequest]
  nextRequest = nextRequest % SAMPLES + 1
  return r
end
