-- wrk script: GET every demo user once (thread t of T takes ids t, t+T, t+2T, ...), then keeps cycling, so that a
-- following measurement starts with every user in L1 and L2. Run it with -t $BENCH_THREADS; same user-count
-- variables as zipf-users.lua.
local N = tonumber(os.getenv("BENCH_USERS") or "100000")
local USERS_PER_ORG = tonumber(os.getenv("BENCH_USERS_PER_ORG") or "1000")
local T = tonumber(os.getenv("BENCH_THREADS") or "2")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
end

function init(args)
  nextId = index
end

function request()
  local id = nextId
  nextId = nextId + T
  if nextId > N then nextId = index end
  local org = math.floor((id - 1) / USERS_PER_ORG) + 1
  return wrk.format("GET", "/v1/orgs/" .. org .. "/users/" .. id)
end
