/** The text of `logtank --help`. */
export const helpText = `logtank: ship newline-delimited logs from stdin to Huawei Cloud LTS

Usage
  node app.js | npx -p @logtank/pino logtank [flags]
  node app.js | logtank [flags]   in an npm script of a project that has
                                  @logtank/pino (or ./node_modules/.bin/logtank)
Not "npx logtank": outside such a project npx fetches the unscoped npm package
"logtank", which is not this one.

Every line read from stdin becomes one LTS log entry, exactly as written:
pino's NDJSON (its "time" becomes the entry time; "level" can become a label)
or any plain text. Blank lines are skipped. logtank exits when stdin ends and
everything read has been delivered (or the close timeout has passed).

Connection (flags win over the environment)
  --endpoint <url>          LTS access point, https://{ip}:8102        LTS_ENDPOINT
  --project-id <id>         32-character project id                     LTS_PROJECT_ID
                                                                        (HUAWEICLOUD_SDK_PROJECT_ID)
  --log-group-id <id>       36-character log group id                   LTS_LOG_GROUP_ID
  --log-stream-id <id>      36-character log stream id                  LTS_LOG_STREAM_ID
Credentials (one of; the access key from the environment, never a flag)
                            an access key (AK/SK): requests are signed   HUAWEICLOUD_SDK_AK
                                                                         HUAWEICLOUD_SDK_SK
                            a temporary key's security token             HUAWEICLOUD_SDK_SECURITY_TOKEN
  --ecs-metadata            the ECS/CCE instance's agency keys, from the
                            metadata service (no secret stored)
  --metadata-endpoint <url> the metadata service for --ecs-metadata (default
                            http://169.254.169.254; the emulator's stand-in)
  --token <token>           IAM token; prefer LTS_TOKEN (flags show     LTS_TOKEN
                            up in ps and shell history)
  --region <region>         e.g. cn-north-4 (needed by --api batch)     HUAWEICLOUD_SDK_REGION
  --ca <file>               PEM file of a CA to trust for the endpoint
  --servername <name>       name to verify the certificate against (IP endpoints)

What is sent
  --label <key=value>       a static label on every entry (repeatable)
  --label-key <field>       send a top-level field of JSON lines as a label
                            (repeatable; "level" sends pino's level name)
  --api <api>               standard (default), high-accuracy (a time per entry)
                            or batch (the producer route; an access key and --region)
  --compression gzip        compress requests (high-accuracy and batch only)
  --linger-ms <ms>          how long a batch waits for more entries (default 1000)
  --close-timeout-ms <ms>   how long to keep delivering after stdin ends (default 5000)
  --max-line-bytes <bytes>  the longest line kept whole (default 1048576); a longer
                            one is cut and ends with "…[truncated by logtank: N bytes]"
  --tee                     also copy stdin to stdout (to chain pino-pretty)

  -h, --help                show this help
  -v, --version             show the version

Examples
  export LTS_ENDPOINT=https://192.0.2.10:8102 LTS_LOG_GROUP_ID=... \\
         LTS_LOG_STREAM_ID=... HUAWEICLOUD_SDK_PROJECT_ID=... \\
         HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=...
  node app.js | npx -p @logtank/pino logtank --label-key level --label app=api
  node app.js | npx -p @logtank/pino logtank --tee --label env=prod | pino-pretty
  tail -F /var/log/app.log | npx -p @logtank/pino logtank --api high-accuracy

Exit status
  0  everything read was delivered
  1  some entries were dropped (the count and reasons are printed on stderr)
  2  bad flags or options (the message names the flag)
  130, 143  stopped by SIGINT / SIGTERM (what was read is still delivered;
     a second signal exits at once)
`;
