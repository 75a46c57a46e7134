"""The child process of :func:`observatory.sqlguard.run_isolated_query`: one query under a memory cap.

Reads its request (JSON) on stdin, caps its own address space, runs the guarded query on a read-only
locked connection and writes ``(kind, payload)`` pickled on stdout. The parent kills it on time.
"""

from __future__ import annotations

import json
import pickle
import resource
import sys


def _answer(kind: str, payload: object) -> None:
    sys.stdout.buffer.write(pickle.dumps((kind, payload)))
    sys.stdout.buffer.flush()


def main() -> None:
    request = json.loads(sys.stdin.read())
    cap = int(request["address_space"])
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)  # never above what this process was given
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard if hard != resource.RLIM_INFINITY else cap))
    import duckdb

    from observatory import sqlguard
    from observatory.errors import ObservatoryError
    from observatory.store import connect_readonly

    try:
        con = connect_readonly(request["db"])
    except FileNotFoundError as exc:
        _answer("missing", str(exc))
        return
    except ObservatoryError as exc:
        _answer("error", str(exc))
        return
    try:
        result = sqlguard.run_readonly_query(con, request["sql"], max_rows=request["max_rows"],
                                             timeout_s=request["timeout_s"], max_bytes=request["max_bytes"])
        _answer("ok", result)
    except sqlguard.QueryTimeout as exc:
        _answer("timeout", str(exc))
    except sqlguard.RefusedQuery as exc:
        _answer("refused", str(exc))
    except (sqlguard.QueryTooBig, MemoryError) as exc:
        _answer("too_big", str(exc) or "the query needs more memory than allowed")
    except duckdb.Error as exc:
        if "memory" in str(exc).lower() or "bad_alloc" in str(exc).lower():
            _answer("too_big", f"the query needs more memory than allowed ({str(exc).splitlines()[0]})")
        else:
            _answer("error", str(exc))
    finally:
        con.close()


if __name__ == "__main__":
    main()
