/*
 * Where the bench plugins (bench/plugins/<id>/index.ts) report each
 * delivery they receive, in this process: bench/plugins.ts routes them to
 * one DeliveryLog per plugin. A module of the bench, not of the plugin
 * API: the plugins and the bench import the same file, so they share it.
 */
import type { Delivery } from '../work_api/delivery_log.js'

type Sink = (pluginId: string, delivery: Delivery) => void

let sink: Sink | undefined

/** Sets (or clears) where deliveries go. */
export function onDelivery(next: Sink | undefined) {
  sink = next
}

export function recordDelivery(pluginId: string, delivery: Delivery) {
  sink?.(pluginId, delivery)
}
