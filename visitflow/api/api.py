"""The REST API at /api/ (docs at /api/docs, schema at /api/openapi.json)."""

from ninja import NinjaAPI

from visitflow.api.absences.router import router as absences_router
from visitflow.api.auth import bearer_auth, session_auth
from visitflow.api.customers.router import router as customers_router
from visitflow.api.errors import register_exception_handlers
from visitflow.api.logistics.operations import router as logistics_operations_router
from visitflow.api.logistics.router import router as logistics_router
from visitflow.api.notifications.router import router as notifications_router
from visitflow.api.portal.router import router as portal_router
from visitflow.api.spend.router import router as spend_router
from visitflow.api.tokens.router import router as tokens_router
from visitflow.api.tradeshows.router import router as tradeshows_router
from visitflow.api.visits.router import router as visits_router

api = NinjaAPI(
    title="VisitFlow API",
    version="1.0",
    urls_namespace="api",
    # The token first: a request that carries one is judged by it alone.
    auth=[bearer_auth, session_auth],
)
register_exception_handlers(api)
api.add_router("/", tokens_router)
api.add_router("/", customers_router)
api.add_router("/", visits_router)
api.add_router("/", logistics_router)
api.add_router("/", absences_router)
api.add_router("/", notifications_router)
api.add_router("/", logistics_operations_router)
api.add_router("/", tradeshows_router)
api.add_router("/", spend_router)
api.add_router("/", portal_router)
