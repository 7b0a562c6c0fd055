# Sourced by the benchmarks that drive the e2e-tests module (benchmarks/latency, benchmarks/baselines), from the
# repository root: selects a JDK 25 (the default java may be older), builds and installs e2e-tests and the modules it
# depends on (a fresh checkout has none installed), and writes the test classpath to $CLASSPATH_FILE.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 25 ] 2>/dev/null; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25*; do
    if [ -x "$candidate/bin/java" ]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
export PATH="$JAVA_HOME/bin:$PATH"

CLASSPATH_FILE="$PWD/e2e-tests/target/bench-classpath.txt"
echo "bench: building (install -DskipTests of e2e-tests and what it depends on)"
./mvnw -B -q install -DskipTests -pl e2e-tests -am
./mvnw -B -q -pl e2e-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"
