# Production-like image: build with the Maven Wrapper, run on a JRE. PostgreSQL comes from outside
# (docker-compose.yml); the embedded database is off as soon as SPRING_DATASOURCE_URL is set.
FROM eclipse-temurin:17-jdk AS build
# The Maven Wrapper downloads Maven with curl and unpacks it with unzip.
RUN apt-get update && apt-get install -y --no-install-recommends curl unzip && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 1001 pictura
WORKDIR /app
COPY --from=build /src/api/target/pictura.jar /app/pictura.jar
USER pictura
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/pictura.jar"]
