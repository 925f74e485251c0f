{{/* contact-sync: no database variable and no route to PostgreSQL at all (privacy rules); directory gRPC only. */}}
{{- define "ots-contact-sync.env" -}}
- name: DIRECTORY_GRPC_URL
  value: {{ include "ots.directoryGrpcTarget" . | quote }}
{{- with .Values.nodeArgs }}
- name: OTS_NODE_ARGS
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "ots-contact-sync.ports" -}}{{- end -}}
{{- define "ots-contact-sync.volumes" -}}{{- end -}}
{{- define "ots-contact-sync.volumeMounts" -}}{{- end -}}
{{- define "ots-contact-sync.networkIngress" -}}{{- end -}}

{{- define "ots-contact-sync.networkEgress" -}}
{{ include "ots.directoryGrpcEgress" . }}
{{- end -}}
