"""The archive's faces for other tools, served inside ``minutes-rag serve``: an OpenAI-compatible
chat (``openai_api``: ``GET /v1/models``, ``POST /v1/chat/completions``) and an MCP server
(``mcp_server``: Streamable HTTP at ``/mcp``, stdio for ``minutes-rag mcp``), both reading the
Assistant through the same small API as the chat page, behind the same keys (``keys``) and the
same answer pool (``pool``). The tools both can offer live in one registry (``tools``).

Presentation layer: these modules read the assistant; nothing below imports them.
"""
