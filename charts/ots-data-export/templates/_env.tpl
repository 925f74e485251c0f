{{/* data-export's variables beyond the common ones (docs/configuration.md, apps/data-export/src/config.ts). */}}
{{- define "ots-data-export.env" -}}
- name: DIRECTORY_GRPC_URL
  value: {{ include "ots.directoryGrpcTarget" . | quote }}
- name: PUSH_GRPC_URL
  value: {{ include "ots.pushGrpcTarget" . | quote }}
- name: MAILBOX_GRPC_URL
  value: {{ printf "%s:%v" (default (printf "%s-mailbox-grpc" .Release.Name) .Values.mailboxGrpc.host) .Values.mailboxGrpc.port | quote }}
- name: MAILBOX_CSP_HOST
  value: {{ default (printf "%s-mailbox-csp" .Release.Name) .Values.mailboxCsp.host | quote }}
- name: MAILBOX_CSP_PORT
  value: {{ .Values.mailboxCsp.port | quote }}
- name: MAILBOX_CSP_PUBLIC_KEY
  value: {{ .Values.mailboxCsp.publicKey | quote }}
- name: MY3DATA_SECRET_KEY_FILE
  value: /run/secrets/ots/{{ .Values.my3dataKey.key }}
{{- end -}}

{{- define "ots-data-export.ports" -}}{{- end -}}

{{/* the *MY3DATA secret key, from an existing Secret (docs/adr/0018-system-identities.md) */}}
{{- define "ots-data-export.volumes" -}}
- name: my3data-key
  secret:
    secretName: {{ .Values.my3dataKey.existingSecret }}
    # 0440: readable by the fsGroup (1000) the service runs with, not by others
    defaultMode: 288
    items:
      - key: {{ .Values.my3dataKey.key }}
        path: {{ .Values.my3dataKey.key }}
{{- end -}}

{{- define "ots-data-export.volumeMounts" -}}
- name: my3data-key
  mountPath: /run/secrets/ots
  readOnly: true
{{- end -}}
{{- define "ots-data-export.networkIngress" -}}{{- end -}}

{{/*
gRPC clients of directory, mailbox and push; the *MY3DATA bot is a chat client of the mailbox (CSP).
*/}}
{{- define "ots-data-export.networkEgress" -}}
{{ include "ots.directoryGrpcEgress" . }}
{{ include "ots.grpcEgress" (dict "ctx" . "service" "mailbox" "port" .Values.networkPolicy.mailbox.grpcPort) }}
{{ include "ots.grpcEgress" (dict "ctx" . "service" "push" "port" .Values.networkPolicy.push.grpcPort) }}
{{ include "ots.grpcEgress" (dict "ctx" . "service" "mailbox" "port" .Values.networkPolicy.mailbox.cspPort) }}
{{- end -}}
