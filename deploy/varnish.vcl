# Varnish in front of Newsroom: caches what the app marks public, never the admin or the desk,
# and drops objects by surrogate key when the app sends `BAN /` with `Surrogate-Key: k1 k2`.
#
# The backend below is the default `make run` address; tests/services/ rewrites the port.
vcl 4.1;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN" || req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.Surrogate-Key) {
            return (synth(400, "Surrogate-Key header required"));
        }
        # Keys are space separated; keep only key characters so nothing is read as a regex,
        # and match whole keys only ("story-1" must not drop "story-12").
        set req.http.X-Ban-Keys = regsuball(req.http.Surrogate-Key, "[^A-Za-z0-9_ -]", "");
        set req.http.X-Ban-Keys = regsuball(req.http.X-Ban-Keys, "^ +| +$", "");
        set req.http.X-Ban-Keys = regsuball(req.http.X-Ban-Keys, " +", "|");
        # No spaces in the regex: ban() splits its expression on whitespace.
        ban("obj.http.Surrogate-Key ~ (^|\s)(" + req.http.X-Ban-Keys + ")(\s|$)");
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|desk)/") {
        return (pass);
    }
    # A signed-in editor (or a reader with a message waiting, or credentials) sees private
    # pages; everyone else is anonymous to the app.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Only what the app explicitly marked public is shared; the app sets s-maxage itself.
    if (beresp.http.Cache-Control !~ "public" || beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Keep serving a stale copy briefly while refetching (stale-while-revalidate).
    set beresp.grace = 30s;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
