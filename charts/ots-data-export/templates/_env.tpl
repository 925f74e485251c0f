{{/* data-export's variables beyond the common ones (docs/configuration.md, apps/data-export/src/config.ts). */}}
{{- define "ots-data-export.env" -}}
- name: DIRECTORY_GRPC_URL
  value: {{ include "ots.directoryGrpcTarget" . | quote }}
{{- end -}}

{{- define "ots-data-export.ports" -}}{{- end -}}
{{- define "ots-data-export.volumes" -}}{{- end -}}
{{- define "ots-data-export.volumeMounts" -}}{{- end -}}
{{- define "ots-data-export.networkIngress" -}}{{- end -}}

{{/*
gRPC clients of directory, mailbox and push; the *MY3DATA bot is a chat client of the mailbox (CSP). Its variables
for mailbox and push arrive with the data-export work; the flows are allowed already.
*/}}
{{- define "ots-data-export.networkEgress" -}}
{{ include "ots.directoryGrpcEgress" . }}
{{ include "ots.grpcEgress" (dict "ctx" . "service" "mailbox" "port" .Values.networkPolicy.mailbox.grpcPort) }}
{{ include "ots.grpcEgress" (dict "ctx" . "service" "push" "port" .Values.networkPolicy.push.grpcPort) }}
{{ include "ots.grpcEgress" (dict "ctx" . "service" "mailbox" "port" .Values.networkPolicy.mailbox.cspPort) }}
{{- end -}}
