"""How the site is doing: health for load balancers, metrics for Prometheus, request logs."""
