"""The emulator's parts wired together: one tenant's directory, token service, delta, faults."""
from .api import GraphApi
from .delta import DeltaService
from .directory import Directory
from .faults import FaultInjector, WriteThrottle
from .paging_tokens import TokenCodec
from .request_log import RequestLog
from .tokens import TokenService


class Emulator:
    def __init__(self, workdir, tenant, verified_domains, token_lifetime):
        self.workdir = workdir
        self.tenant = tenant
        self.directory = Directory(verified_domains)
        self.tokens = TokenService(tenant, verified_domains, workdir, token_lifetime)
        self.codec = TokenCodec()
        self.delta = DeltaService(self.directory, self.codec)
        self.faults = FaultInjector()
        self.throttle = WriteThrottle()
        self.request_log = RequestLog()
        self.api = GraphApi(self.directory, self.delta, self.codec, self.faults, self.throttle,
                            self.request_log)
        self.base_url = None

    def set_base_url(self, base_url):
        """Known once the listening port is: links, token audience and resource use it."""
        self.base_url = base_url
        self.api.base_url = base_url
        self.tokens.base_url = base_url
        self.directory.reference_bases.append(f"{base_url}/v1.0/")
