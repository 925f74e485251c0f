{{/*
Component name of a service chart: the chart name without its "ots-" prefix ("directory" for ots-directory, and the
alias under the umbrella chart).
*/}}
{{- define "ots.component" -}}
{{- trimPrefix "ots-" .Chart.Name -}}
{{- end -}}

{{/* <release>-<component>, overridable by fullnameOverride; other charts of the release derive peer names the same way. */}}
{{- define "ots.fullname" -}}
{{- default (printf "%s-%s" .Release.Name (include "ots.component" .)) .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ots.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ots.component" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ots.labels" -}}
{{ include "ots.selectorLabels" . }}
app.kubernetes.io/component: {{ include "ots.component" . }}
app.kubernetes.io/part-of: ots
app.kubernetes.io/version: {{ include "ots.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
ots.dev/site: {{ include "ots.site" . }}
{{- end -}}

{{/* Site name (OTS_SITE): global.site wins over the chart's own site value. */}}
{{- define "ots.site" -}}
{{- $global := .Values.global | default dict -}}
{{- default .Values.site $global.site -}}
{{- end -}}

{{- define "ots.natsUrl" -}}
{{- $global := .Values.global | default dict -}}
{{- $nats := $global.nats | default dict -}}
{{- default .Values.nats.url $nats.url -}}
{{- end -}}

{{/* image tag: global.image.tag, else the chart's image.tag, else the chart's appVersion */}}
{{- define "ots.imageTag" -}}
{{- $global := .Values.global | default dict -}}
{{- $gimage := $global.image | default dict -}}
{{- default (default .Chart.AppVersion .Values.image.tag) $gimage.tag -}}
{{- end -}}

{{/* repository:tag, or repository@digest; global.image.repository wins over the chart's. */}}
{{- define "ots.image" -}}
{{- $global := .Values.global | default dict -}}
{{- $gimage := $global.image | default dict -}}
{{- $repository := default .Values.image.repository $gimage.repository -}}
{{- $repository = required "image.repository (or global.image.repository) is required" $repository -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (include "ots.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{/* host:port of the directory's headless gRPC Service (clients dial dns:///host:port with round_robin). */}}
{{- define "ots.directoryGrpcTarget" -}}
{{- $host := default (printf "%s-directory-grpc" .Release.Name) .Values.directoryGrpc.host -}}
{{- printf "%s:%v" $host .Values.directoryGrpc.port -}}
{{- end -}}

{{/* host:port of the push service's headless gRPC Service (push.v1; clients dial it with round_robin). */}}
{{- define "ots.pushGrpcTarget" -}}
{{- $host := default (printf "%s-push-grpc" .Release.Name) .Values.pushGrpc.host -}}
{{- printf "%s:%v" $host .Values.pushGrpc.port -}}
{{- end -}}
