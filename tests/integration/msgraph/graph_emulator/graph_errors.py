"""The error shape Microsoft Graph documents for every failed request."""
import datetime


class GraphError(Exception):
    """A failure that becomes a Graph error response: {"error": {"code", "message", ...}}."""

    def __init__(self, status, code, message, details=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = dict(headers or {})


def utc_now_text():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def error_body(code, message, request_id, client_request_id, details=None):
    error = {"code": code, "message": message,
             "innerError": {"date": utc_now_text(), "request-id": request_id,
                            "client-request-id": client_request_id}}
    if details:
        error["details"] = details
    return {"error": error}


def bad_request(message, code="Request_BadRequest", details=None):
    return GraphError(400, code, message, details)


def not_found(resource_id):
    return GraphError(404, "Request_ResourceNotFound",
                      f"Resource '{resource_id}' does not exist or one of its queried "
                      "reference-property objects are not present.")


def conflict(property_name):
    return GraphError(400, "Request_BadRequest",
                      f"Another object with the same value for property {property_name} "
                      "already exists.",
                      details=[{"code": "ObjectConflict", "target": property_name}])
