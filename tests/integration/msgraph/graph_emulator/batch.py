"""JSON batching: POST /v1.0/$batch with up to 20 independent requests.

Each sub-request goes through the same fault injection, throttling and routing as a top-level
request (authentication is the outer request's). dependsOn is honoured; a request whose
dependency failed gets 424 Failed Dependency. The documentation says the order of responses is
not guaranteed, so they are returned in reverse request order: clients must match them by id.
"""
from .graph_errors import bad_request, error_body
from .response import Response

MAX_REQUESTS = 20
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")


def invalid_batch(message):
    return bad_request(message, code="BadRequest")


def validate(payload):
    if not isinstance(payload, dict) or not isinstance(payload.get("requests"), list):
        raise invalid_batch("Invalid batch payload format.")
    requests = payload["requests"]
    if len(requests) > MAX_REQUESTS:
        raise invalid_batch(f"Number of requests in the batch ({len(requests)}) exceeds the "
                            f"limit of {MAX_REQUESTS}.")
    by_id = {}
    for request in requests:
        if not isinstance(request, dict):
            raise invalid_batch("Invalid batch payload format.")
        request_id = request.get("id")
        if not isinstance(request_id, str) or not request_id:
            raise invalid_batch("Each request in a batch must have an id.")
        if request_id in by_id:
            raise invalid_batch(f"Request id '{request_id}' is not unique in the batch.")
        if str(request.get("method", "")).upper() not in METHODS:
            raise invalid_batch(f"Request id '{request_id}' has an invalid method.")
        if not isinstance(request.get("url"), str) or not request["url"]:
            raise invalid_batch(f"Request id '{request_id}' has no url.")
        by_id[request_id] = request
    for request in requests:
        depends_on = request.get("dependsOn", [])
        if not isinstance(depends_on, list) or any(d not in by_id for d in depends_on):
            raise invalid_batch(f"Request id '{request['id']}' depends on an unknown request.")
    return by_id


def run(api, payload, ids):
    requests = validate(payload)
    results = {}

    def execute(request_id, waiting):
        if request_id in results:
            return
        if request_id in waiting:
            raise invalid_batch("The dependsOn graph of the batch has a cycle.")
        request = requests[request_id]
        depends_on = request.get("dependsOn", [])
        for dependency in depends_on:
            execute(dependency, waiting | {request_id})
        if any(results[d]["status"] >= 400 for d in depends_on):
            results[request_id] = {
                "id": request_id, "status": 424,
                "headers": {"Content-Type": "application/json"},
                "body": error_body("failedDependency", "Request failed because of a failed "
                                   "dependency.", *ids)}
        else:
            results[request_id] = sub_request(api, request, ids)

    for request_id in requests:
        execute(request_id, frozenset())
    return Response(200, {}, {"responses": [results[i] for i in reversed(list(requests))]})


def sub_request(api, request, ids):
    request_id, method, url = request["id"], request["method"].upper(), request["url"]
    headers = {str(k).lower(): str(v) for k, v in (request.get("headers") or {}).items()}
    body = request.get("body")
    if "://" in url:
        response = Response(400, {}, error_body(
            "BadRequest", "Invalid request URL: the URL of a request in a batch must be "
            "relative.", *ids))
    elif body is not None and "content-type" not in headers:
        response = Response(400, {}, error_body(
            "BadRequest", f"Write request id : {request_id} does not contain Content-Type "
            "header or body.", *ids))
    else:
        target = "/v1.0" + (url if url.startswith("/") else "/" + url)
        response = api.execute(method, target, headers, body, True, ids)
    result = {"id": request_id, "status": response.status, "headers": dict(response.headers)}
    if response.body is not None:
        result["headers"].setdefault("Content-Type", "application/json")
        result["body"] = response.body
    return result

