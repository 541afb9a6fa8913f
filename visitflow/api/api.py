from ninja import NinjaAPI

api = NinjaAPI(title="VisitFlow API", version="1.0", urls_namespace="api")
