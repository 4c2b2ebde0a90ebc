# One image per wafleet service, built from its exec jar (./mvnw -B -ntp install -DskipTests first):
#   docker build -f deploy/service.Dockerfile --build-arg MODULE=router --build-arg PORT=8080 -t wafleet/router:0.1.0 .
FROM eclipse-temurin:17-jre
ARG MODULE
ARG PORT=8080
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app wafleet && mkdir -p /var/lib/wafleet && chown wafleet /var/lib/wafleet
WORKDIR /app
COPY ${MODULE}/target/wafleet-${MODULE}-0.1.0-SNAPSHOT-exec.jar app.jar
USER wafleet
ENV PORT=${PORT}
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fs "http://localhost:${PORT}/readyz" || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
