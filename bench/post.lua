-- POST the body in the WRK_BODY environment variable with JSON content type (bench/run.py --writes).
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/json"
