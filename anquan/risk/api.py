from ninja import Router

tools_router = Router(tags=["tools"])
