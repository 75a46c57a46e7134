"""`observatory mcp` driven by the official SDK's client over stdio: tool list, schemas, cited answers, refusals."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import anyio
import pytest
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters

from tests.api.conftest import served_copy

TOOLS = {"search_tools", "get_tool", "compare_tools", "rank_tools_for_needs", "list_deployments", "pb_outcomes",
         "run_sql"}


def _payload(result) -> dict:
    structured = getattr(result, "structured_content", None)
    if structured is not None:
        return structured.get("result", structured) if set(structured) == {"result"} else structured
    return json.loads(result.content[0].text)


@pytest.fixture(scope="module")
def mcp_db(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return served_copy(built_db, tmp_path_factory.mktemp("mcp"))


def test_mcp_over_stdio(mcp_db: Path) -> None:
    entry = Path(sys.executable).parent / "observatory"  # the installed console script, as a client would run it
    params = StdioServerParameters(command=str(entry), args=["mcp", "--db", str(mcp_db)],
                                   cwd=str(Path(__file__).resolve().parents[2]))

    async def session() -> None:
        async with Client(params, read_timeout_seconds=60) as client:
            listed = (await client.list_tools()).tools
            assert {t.name for t in listed} == TOOLS
            for tool in listed:
                schema = tool.input_schema
                assert schema["type"] == "object" and tool.description, tool.name
            by_name = {t.name: t for t in listed}
            assert by_name["get_tool"].input_schema["required"] == ["tool_id"]
            assert set(by_name["rank_tools_for_needs"].input_schema["properties"]["hosting"]["enum"]) == \
                {"self_host", "hosted", "either"}

            found = _payload(await client.call_tool("search_tools", {"query": "decidim"}))
            assert [t["tool_id"] for t in found["tools"]] == ["decidim"]
            assert found["sources"] == [found["tools"][0]["source_url"]]

            tool = _payload(await client.call_tool("get_tool", {"tool_id": "decidim", "max_rows": 3}))
            assert tool["licence"]["family"] == "network_copyleft"
            assert len(tool["sections"]["deployments"]["rows"]) == 3 and tool["sections"]["deployments"]["total_rows"] > 3
            assert tool["tool"]["source_url"] in tool["sources"]

            compared = _payload(await client.call_tool("compare_tools", {"tool_ids": ["decidim", "consul-democracy"]}))
            assert {t["tool_id"] for t in compared["tools"]} == {"decidim", "consul-democracy"}
            assert compared["features"] and all(f["source_url"] in compared["sources"] for f in compared["features"])

            ranked = _payload(await client.call_tool("rank_tools_for_needs",
                                                     {"processes": ["participatory_budgeting"], "top": 3}))
            assert [r["rank"] for r in ranked["ranking"]] == [1, 2, 3] and ranked["sources"]

            deployments = _payload(await client.call_tool("list_deployments", {"country": "fr", "limit": 5}))
            assert len(deployments["deployments"]) == 5 and {d["country"] for d in deployments["deployments"]} == {"FR"}
            assert deployments["more"] and deployments["sources"]

            editions = await client.call_tool("pb_outcomes", {})
            assert editions.is_error or "editions" in _payload(editions)  # PB tables may be empty on this build

            sql = _payload(await client.call_tool("run_sql", {"query": "select tool_id, source_url from tools limit 2"}))
            assert len(sql["rows"]) == 2 and len(sql["sources"]) == 2

            refused = await client.call_tool("run_sql", {"query": "delete from tools"})
            assert refused.is_error and "refused" in refused.content[0].text
            leaked = await client.call_tool("run_sql", {"query": "select * from read_csv('/etc/passwd')"})
            assert leaked.is_error
            unknown = await client.call_tool("get_tool", {"tool_id": "no-such-tool"})
            assert unknown.is_error and "search_tools" in unknown.content[0].text

    anyio.run(session)
