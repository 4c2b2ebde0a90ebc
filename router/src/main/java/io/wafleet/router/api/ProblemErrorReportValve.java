package io.wafleet.router.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * What Tomcat answers itself, before any filter runs (a path that is not valid UTF-8, an encoded NUL, a malformed
 * request line), as a problem+json like every other error, instead of Tomcat's HTML page with its version.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            String json = "{\"type\":\"https://wafleet.io/problems/rejected-request\",\"title\":\"Request rejected\","
                    + "\"status\":" + status + ",\"detail\":\"the request is not valid HTTP or its path is not valid"
                    + " UTF-8\"}";
            response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was committed: nothing more to say.
        }
    }
}
