/**
 * Generated Dockerfiles for the benchmark: deterministic, multi-stage, with the instructions real files mix
 * (ARG and ENV substitution, continued RUN lines with apt-get, apk and curl, COPY, LABEL, HEALTHCHECK), and a few
 * xz pins among many ordinary ones so that an analysis has something to find and much to read past.
 */

const DEBIAN_PACKAGES = ['ca-certificates', 'curl', 'git', 'gnupg', 'libssl3', 'make', 'openssh-client', 'python3', 'unzip', 'zlib1g'];
const ALPINE_PACKAGES = ['bash', 'ca-certificates', 'curl', 'git', 'libgcc', 'musl-dev', 'openssl', 'tzdata'];

/** A Dockerfile of exactly `lines` lines (at least 20), the same text for the same count. */
export function generateDockerfile(lines: number): string {
  const out: string[] = ['# syntax=docker/dockerfile:1', 'ARG BASE=debian:bookworm-20240311-slim', 'ARG XZ_VERSION=5.6.1'];
  let stage = 0;
  while (out.length < lines - 2) {
    out.push(...stageLines(stage));
    stage++;
  }
  out.length = Math.min(out.length, lines - 2);
  out.push('USER app', 'CMD ["/usr/local/bin/app", "--serve"]');
  return `${out.join('\n')}\n`;
}

function stageLines(stage: number): string[] {
  const alpine = stage % 3 === 2;
  const name = `stage${stage}`;
  const lines = [
    '',
    alpine ? `FROM alpine:3.${17 + (stage % 3)} AS ${name}` : `FROM \${BASE} AS ${name}`,
    `ARG APP_VERSION=1.${stage}.0`,
    `ENV APP_HOME=/opt/app${stage} \\`,
    `    PATH=/opt/app${stage}/bin:$PATH`,
    `LABEL org.opencontainers.image.version="\${APP_VERSION}" stage="${name}"`,
    `WORKDIR /opt/app${stage}`,
  ];
  if (alpine) {
    lines.push('RUN apk add --no-cache \\');
    ALPINE_PACKAGES.forEach((pkg, i) => lines.push(`    ${pkg}=${1 + ((stage + i) % 4)}.${i}.${stage % 10}-r${i % 3} \\`));
    lines.push(stage % 6 === 2 ? '    xz=5.6.1-r1' : '    xz=5.6.2-r0');
  } else {
    lines.push('RUN apt-get update \\', ' && apt-get install -y --no-install-recommends \\');
    DEBIAN_PACKAGES.forEach((pkg, i) => lines.push(`    ${pkg}=${1 + ((stage + i) % 5)}.${i}.${stage % 10}-${1 + (i % 3)} \\`));
    lines.push(stage % 4 === 0 ? '    xz-utils=${XZ_VERSION}-1 \\' : '    xz-utils=5.4.1-0.2 \\', ' && rm -rf /var/lib/apt/lists/*');
  }
  lines.push(
    `RUN curl -fsSLo /tmp/tool.tar.gz https://example.com/releases/tool-${stage}.${stage % 7}.0.tar.gz \\`,
    ` && echo "${'0123456789abcdef'.repeat(4)}  /tmp/tool.tar.gz" | sha256sum -c - \\`,
    ` && tar -xzf /tmp/tool.tar.gz -C /usr/local \\`,
    ' && rm /tmp/tool.tar.gz',
    `COPY --chown=app:app ./src/${name} /opt/app${stage}/src`,
    `COPY --from=${stage > 0 ? `stage${stage - 1}` : 'alpine:3.19'} /etc/ssl/certs /etc/ssl/certs`,
    'EXPOSE 8080',
    'HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost:8080/health || exit 1',
  );
  return lines;
}
