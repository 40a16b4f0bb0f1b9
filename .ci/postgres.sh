#!/usr/bin/env bash
# CI, PostgreSQL part: start a throwaway PostgreSQL, run examples/pgstore's
# vet and tests (its own module) against it, and remove the server on exit.
# Runs standalone too: `bash .ci/postgres.sh` from anywhere in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

# Find the server's programs: initdb is usually not on PATH on Debian.
bindir=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
	bindir=$(pg_config --bindir)
fi
if [ -z "$bindir" ]; then
	bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "PostgreSQL not found; installing it"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
	bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
echo "using $("$bindir/postgres" --version)"

# initdb refuses root: the cluster belongs to the postgres user.
dir=$(mktemp -d /tmp/paysync-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then
	chown postgres:postgres "$dir"
	as_pg=(runuser -u postgres --)
fi
cleanup() {
	"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT

port=""
for p in $(seq 55432 55532); do
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port for PostgreSQL"; exit 1; }

"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log"; exit 1; }
# Durability is worthless here; speed is not.
if ! "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
	"-k $dir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
	start >/dev/null; then
	cat "$dir/server.log"; exit 1
fi
for _ in $(seq 1 60); do
	"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" && break
	sleep 0.5
done
"$bindir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE paysync"
export PAYSYNC_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/paysync?sslmode=disable"

cd "$root/examples/pgstore"
echo "== go vet (examples/pgstore)"
go vet ./...
echo "== go test -race (examples/pgstore, PostgreSQL on port $port)"
go test -race -count=1 ./... 2>&1 | tee /tmp/paysync-pgstore-test.log
