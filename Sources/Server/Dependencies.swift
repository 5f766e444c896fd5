import Hummingbird
import AsyncHTTPClient
import MultipartKit
import Metrics
import Prometheus
