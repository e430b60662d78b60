import { BlockStack, Modal, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

/** Asks for a reason and confirmation before cancelling: the order's reserved stock goes back. */
export function CancelOrderModal({ open, orderName, onConfirm, onClose }: { open: boolean; orderName: string; onConfirm: (reason: string) => void; onClose: () => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const confirm = () => {
    if (!reason.trim()) {
      setError("Give a reason: it is recorded on the order and in the stock ledger.");
      return;
    }
    onConfirm(reason.trim());
    setReason("");
  };
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={`Cancel order ${orderName}?`}
      primaryAction={{ content: "Cancel order", destructive: true, onAction: confirm }}
      secondaryActions={[{ content: "Keep order", onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="p">The order&apos;s held stock is released and today&apos;s ship-from-store slots are given back. This cannot be undone.</Text>
          <TextField
            label="Reason"
            name="reason"
            value={reason}
            onChange={(v) => {
              setReason(v);
              setError(undefined);
            }}
            error={error}
            autoComplete="off"
            maxLength={500}
            placeholder="e.g. customer asked to cancel"
          />
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
