// A labelled text, email or password input, as every field of the account forms is laid out.
import type { InputHTMLAttributes } from 'react';
import styles from './account.module.css';

type TextFieldProps = InputHTMLAttributes<HTMLInputElement> & { id: string; label: string };

export function TextField({ label, ...input }: TextFieldProps) {
  return (
    <div className={styles.field}>
      <label htmlFor={input.id}>{label}</label>
      <input {...input} />
    </div>
  );
}
